// What a client reports: one IMEvent per C callback (include/imsdk.h, ImCallbacks),
// with the borrowed C data copied into Swift values.
import CIMSDK
import Foundation

/// One event of a client, in the order the SDK reports them.
public enum IMEvent: Sendable {
    /// Result of `login` (`isRelogin` false: exactly once per accepted login) or of an
    /// automatic re-login. `code` is `IM_OK`, an `IM_ERR_*` code or the server's refusal.
    case loginResult(code: Int32, isRelogin: Bool)
    /// An online link was lost (`IM_LINK_*`); a re-login follows unless it is off.
    case linkClosed(reason: Int32)
    /// A message arrived (duplicates of QoS messages are filtered out).
    case message(IMMessage)
    /// The server sent an error (301, 302, 303, …) with its text.
    case serverError(code: Int32, message: String)
    /// QoS messages that will never be acknowledged (with `messageAcked`: exactly one
    /// outcome per accepted QoS message).
    case messagesLost([IMLostMessage])
    /// The server acknowledged the QoS message with this fingerprint.
    case messageAcked(fp: String)
    /// mobileimsdk: the server ended the session (`IM_KICK_*` or a custom code > 100).
    case kicked(code: Int32, reason: String)
    /// The connection state changed (`IM_STATE_*` because of `IM_REASON_*`); for
    /// `IM_STATE_WAITING` also the re-login attempt and its delay.
    case stateChanged(state: Int32, reason: Int32, attempt: UInt32, delayMs: UInt64)
    /// The server answered `echo`.
    case echo(String)
    /// The client is released: the last event; the stream ends after it.
    case released
}

/// A received message.
public struct IMMessage: Sendable {
    public let fp: String
    public let from: String
    public let to: String
    /// The content exactly as sent (it may contain NUL bytes).
    public let content: Data
    public let typeu: Int32
    /// Server time in ms since the Unix epoch, nil when the server sent none.
    public let serverTime: Int64?
    public let qos: Bool
    public let bridge: Bool

    /// The content as UTF-8 text, nil if it is not valid UTF-8.
    public var text: String? { String(data: content, encoding: .utf8) }

    init(_ m: ImMessage) {
        fp = cString(m.fp)
        from = cString(m.from)
        to = cString(m.to)
        content = bytes(m.content, m.content_len)
        typeu = m.typeu
        serverTime = m.server_time > 0 ? m.server_time : nil
        qos = m.qos
        bridge = m.bridge
    }
}

/// A QoS message that will never be acknowledged.
public struct IMLostMessage: Sendable {
    public let fp: String
    public let to: String
    public let content: Data
    public let typeu: Int32
    /// `IM_LOST_TIMEOUT`, `IM_LOST_CANCELLED` or `IM_LOST_REJECTED`.
    public let reason: Int32

    init(_ m: ImLostMessage) {
        fp = cString(m.fp)
        to = cString(m.to)
        content = bytes(m.content, m.content_len)
        typeu = m.typeu
        reason = m.reason
    }
}

func cString(_ p: UnsafePointer<CChar>?) -> String {
    guard let p = p else { return "" }
    return String(cString: p)
}

func bytes(_ p: UnsafePointer<CChar>?, _ count: Int) -> Data {
    guard let p = p, count > 0 else { return Data() }
    return Data(bytes: p, count: count)
}
