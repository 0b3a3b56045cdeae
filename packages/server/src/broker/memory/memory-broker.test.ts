import { brokerContract } from '../broker.contract.js';
import { MemoryBroker } from './memory-broker.js';

brokerContract('MemoryBroker', async () => ({ broker: new MemoryBroker() }));
