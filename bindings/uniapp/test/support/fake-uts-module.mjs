// The UTS module's exports (utssdk/interface.uts), backed by one shared fake bridge.
import { createFakeNative } from './fake-native.mjs';

export const fake = createFakeNative();
export const imCreate = (...a) => fake.imCreate(...a);
export const imLogin = (...a) => fake.imLogin(...a);
export const imSend = (...a) => fake.imSend(...a);
export const imLogout = (...a) => fake.imLogout(...a);
export const imRelease = (...a) => fake.imRelease(...a);
export const imNetworkChanged = (...a) => fake.imNetworkChanged(...a);
export const imEcho = (...a) => fake.imEcho(...a);
export const imLastError = () => fake.imLastError();
