const CLIENT_ID_KEY = 'av-gym.clientId';
const DESK_NAME_KEY = 'av-gym.deskName';

/** This browser's device id (`desk-<random>`, kept in localStorage) and its editable desk name. */
export interface DeskIdentity {
  clientId: string;
  deskName: string;
}

function randomSuffix(): string {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads (and on first use creates) this browser's identity. */
export function identity(storage: Storage = localStorage): DeskIdentity {
  let clientId = storage.getItem(CLIENT_ID_KEY);
  if (!clientId) {
    clientId = `desk-${randomSuffix()}`;
    storage.setItem(CLIENT_ID_KEY, clientId);
  }
  const deskName = storage.getItem(DESK_NAME_KEY) || clientId;
  return { clientId, deskName };
}

/** Renames this desk (1-64 characters); the name goes with each check-in as `deskId`. */
export function saveDeskName(name: string, storage: Storage = localStorage): string {
  const trimmed = name.trim().slice(0, 64);
  if (trimmed) storage.setItem(DESK_NAME_KEY, trimmed);
  return identity(storage).deskName;
}
