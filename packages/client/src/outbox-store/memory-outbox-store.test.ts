import { outboxStoreContract } from '../testing/outbox-store-contract.js';
import { MemoryOutboxStore } from './memory-outbox-store.js';

outboxStoreContract('memory', async () => {
  // one process: "restarting" reopens the same memory
  const store = new MemoryOutboxStore();
  return {
    open: async () => store,
    tear: async () => store.plantRaw('torn', { id: 'torn', type: 'check_in' }),
  };
});
