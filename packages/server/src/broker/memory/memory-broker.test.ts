import { brokerContract } from '../../../test/contracts/broker.contract.js';
import { MemoryBroker } from './memory-broker.js';

brokerContract('MemoryBroker', async () => ({ broker: new MemoryBroker() }));
