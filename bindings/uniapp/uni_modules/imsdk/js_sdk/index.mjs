// The uni-app entry of imsdk with the original TS SDK's API. An app written for the TS
// SDK changes one import:
//
//   import IMClientManager from 'srt-im-sdk';                            // before
//   import IMClientManager from '@/uni_modules/imsdk/js_sdk/index.mjs';  // after
//
// The native part is this plugin's UTS module (utssdk/: Android over the Java binding's
// AAR, iOS over CIMSDK.xcframework); this file only binds it to the mapping of
// manager.mjs. See bindings/uniapp/MIGRATION.md.
import * as native from '@/uni_modules/imsdk';
import { createSdk } from './manager.mjs';

const IMClientManager = createSdk(native);

export default IMClientManager;
export { IMClientManager };
export { DataType, decodeDataContent, encodeDataContent } from './data-content.mjs';
export {
  KickCode, LinkCloseReason, LostReason, ResultCode, State, StateReason, describeCode,
} from './codes.mjs';
export { ImsdkError } from './options.mjs';
