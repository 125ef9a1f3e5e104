// Types of the imsdk uni-app JS API (index.mjs): the original TS SDK's API
// (srt-im-sdk) with imsdk's additions marked "new".

export declare const DataType: Readonly<{ TEXT: 'TEXT'; IMAGE: 'IMAGE'; AUDIO: 'AUDIO'; FILE: 'FILE' }>;
export declare function encodeDataContent(parts: { fp?: string; name?: string; type?: string; key?: string }): string;
export declare function decodeDataContent(dataContent: string): { fp: string; name: string; type: string; key: string; url: string };

export declare const ResultCode: Readonly<Record<
  | 'COMMON_CODE_OK' | 'COMMON_NO_LOGIN' | 'COMMON_UNKNOW_ERROR' | 'COMMON_DATA_SEND_FAILD'
  | 'COMMON_INVALID_PROTOCAL' | 'BREOKEN_CONNECT_TO_SERVER' | 'BAD_CONNECT_TO_SERVER'
  | 'CLIENT_SDK_NO_INITIALED' | 'LOCAL_NETWORK_NOT_WORKING' | 'TO_SERVER_NET_INFO_NOT_SETUP'
  | 'RESPONSE_FOR_UNLOGIN' | 'SERVER_BUSY' | 'NO_SUCH_GROUP' | 'INVALID_ARGUMENT'
  | 'ALREADY_LOGGED_IN' | 'QUEUE_FULL' | 'TLS_FAILED' | 'INVALID_HANDLE' | 'INTERNAL_PANIC', number>>;
export declare const State: Readonly<Record<string, number>>;
export declare const StateReason: Readonly<Record<string, number>>;
export declare const LinkCloseReason: Readonly<Record<string, number>>;
export declare const LostReason: Readonly<Record<string, number>>;
export declare const KickCode: Readonly<Record<string, number>>;
export declare function describeCode(code: number): string;

export declare class ImsdkError extends Error {
  code: number;
}

/** A message in the TS SDK's Protocal shape. */
export interface Protocal {
  bridge: boolean;
  type: number;
  dataContent: string;
  from: string;
  to: string;
  fp: string | null;
  Qos: boolean;
  typeu: number;
  sendTs: number | null;
  retryCount?: number;
}

export interface LostProtocal extends Protocal {
  /** new: LostReason (TIMEOUT, CANCELLED, REJECTED) */
  reason: number;
  reasonName: string;
}

export interface ChatBaseCB {
  onLoginOrReloginSuccessCB?: (info: { code: 0; isRelogin: boolean }) => void;
  onLoginOrReloginFailCB?: (info: { code: number; isRelogin: boolean; message: string }) => void;
  onLinkCloseMessageCB?: (info: { reason: number; reasonName: string }) => void;
  /**
   * new: the server ended the session; no re-login follows. code 1 (KickCode.DUPLICATE_LOGIN):
   * the same user logged in elsewhere (MobileIMSDK kickout; seed: the server's close 4001).
   */
  onKickoutCB?: (info: { code: number; reason: string }) => void;
  /** new */
  onStateChangeCB?: (info: {
    state: number; stateName: string; reason: number; reasonName: string; attempt: number; delayMs: number;
  }) => void;
  /** new: the last callback of a released client. */
  onReleaseCB?: () => void;
}

export interface ChatTransDataCB {
  onTransBufferCB?: (msg: Protocal) => void;
  onTransErrorCB?: (params: { errorCode: number; errorMsg: string }) => void;
  /** new */
  onEchoCB?: (text: string) => void;
}

export interface MessageQoSCB {
  handleMessageLost?: (messages: LostProtocal[]) => void;
  messagesBeReceivedCB?: (fingerPrint: string) => void;
}

export interface WSOptions {
  wsUrl: string;
  /** seed only (the TS SDK's spelling; wsProtocol is also read). */
  wsProtocal?: string;
  wsProtocol?: string;
  chatBaseCB?: ChatBaseCB;
  chatTransDataCB?: ChatTransDataCB;
  messageQoSCB?: MessageQoSCB;
  /** The uni object: network status changes are then forwarded automatically. */
  uni?: { onNetworkStatusChange?: Function; offNetworkStatusChange?: Function };
  /** new: 'seed' (default) or 'mobileimsdk'. */
  dialect?: 'seed' | 'mobileimsdk';
  /** new: default true. */
  autoRelogin?: boolean;
  keepaliveIntervalMs?: number;
  keepaliveTimeoutMs?: number;
  connectTimeoutMs?: number;
  loginTimeoutMs?: number;
  /**
   * new: events waiting for their callback at most (default 1000; 1..1000000). At this cap
   * or at maxCallbackBacklogBytes the SDK stops reading the connection until the app has
   * caught up, so TCP slows the server down instead of memory filling up.
   */
  maxCallbackBacklog?: number;
  /** new: the same cap in bytes of content and strings (default 4 MiB; 65536..1073741824). */
  maxCallbackBacklogBytes?: number;
  /**
   * new: bytes that may wait to be written on the connection (default 4 MiB;
   * 65536..1073741824). Past it a send with Qos false and echo return 1002 QUEUE_FULL.
   */
  maxOutboundBytes?: number;
}

export declare class IMClientManager {
  constructor(options: WSOptions);
  static getInstance(options?: WSOptions): IMClientManager;
  static getInitFlag(): boolean;
  login(args: {
    loginUserId: string; loginToken: string; app?: string; extra?: string; callBack?: (code: number) => void;
  }): number;
  send(args: {
    dataContent: string; toId: string; Qos?: boolean; fingerPrint?: string; typeu?: number;
    /** must be the logged-in user, or left out */
    fromId?: string;
    callBack?: (code: number, msg: Protocal) => void;
  }): { code: number; fp: string };
  logout(callBack?: (code: number) => void): number;
  release(): number;
  resetInitFlag(): void;
  /** new */
  networkChanged(available: boolean): number;
  /** new */
  echo(text: string): number;
  getCurrentLoginUserId(): string;
  /** new */
  getLastError(): string;
}

export default IMClientManager;
