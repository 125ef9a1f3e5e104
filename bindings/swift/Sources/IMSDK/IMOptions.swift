// Options of a client: the Swift face of ImOptions. Fields left nil keep the C
// library's defaults (include/imsdk.h documents each one).
import CIMSDK
import Foundation

/// The server protocol spoken by a client.
public enum IMDialect: Sendable {
    /// The protocol of the original TypeScript SDK's server (default).
    case seed
    /// The WebSocket gateway of the MobileIMSDK v6 server.
    case mobileimsdk

    var rawValue: Int32 {
        switch self {
        case .seed: return IM_DIALECT_SEED
        case .mobileimsdk: return IM_DIALECT_MOBILEIMSDK
        }
    }
}

/// Options of an `IMClient`. Only `url` is required.
public struct IMOptions: Sendable {
    /// `ws://` or `wss://` URL of the server (mobileimsdk: the exact path `/websocket`).
    public var url: String
    public var dialect: IMDialect
    /// seed only: the WebSocket subprotocol to request.
    public var subprotocol: String?
    /// Re-login by itself after a link loss (default true).
    public var autoRelogin: Bool = true
    /// nil: the dialect's default (seed 10 000 / 15 000 ms, mobileimsdk 5 000 / 8 000 ms).
    public var keepaliveIntervalMs: UInt32?
    public var keepaliveTimeoutMs: UInt32?
    /// nil: 5 000 ms.
    public var connectTimeoutMs: UInt32?
    /// nil: 10 000 ms.
    public var loginTimeoutMs: UInt32?
    /// nil: 1 000 pending QoS messages at most.
    public var maxPendingQos: UInt32?
    /// Events handed to the callback thread whose callbacks have not returned yet, at most
    /// (nil: 1 000; 1...1 000 000). At this cap, or at `maxCallbackBacklogBytes`, the
    /// client stops reading the connection until the backlog has drained to half of both,
    /// so a server sending faster than the app consumes is slowed down by TCP. A QoS
    /// message is acknowledged only once its callback has returned.
    public var maxCallbackBacklog: UInt32?
    /// The same cap in bytes of message content and strings (nil: 4 MiB;
    /// 65 536...1 073 741 824).
    public var maxCallbackBacklogBytes: UInt32?
    /// Bytes that may wait to be written on a connection (nil: 4 MiB;
    /// 65 536...1 073 741 824). Past it `send(qos: false)` and `echo` throw
    /// `IM_ERR_QUEUE_FULL`; a QoS message or keepalive that would pass it closes the link
    /// (`IM_LINK_NETWORK_ERROR`; pending QoS messages are resent after the re-login).
    public var maxOutboundBytes: UInt32?
    /// Extra trusted CA certificates, PEM text.
    public var tlsExtraCAPEM: String?
    /// Certificate pins: base64 SHA-256 of a certificate's SubjectPublicKeyInfo.
    public var tlsPins: [String] = []
    /// Events kept for `IMClient.events` while nobody reads them; beyond, the oldest are
    /// dropped and counted in `IMClient.droppedEvents`.
    public var eventBufferLimit: Int = 10_000

    public init(url: String, dialect: IMDialect = .seed) {
        self.url = url
        self.dialect = dialect
    }

    /// Calls `body` with a filled ImOptions whose strings live until `body` returns
    /// (im_init copies what it keeps).
    func withCOptions<R>(_ body: (UnsafePointer<ImOptions>) throws -> R) throws -> R {
        var o = ImOptions()
        let rc = im_options_init(&o, MemoryLayout<ImOptions>.stride)
        guard rc == IM_OK else { throw IMError.last(rc) }
        var owned: [UnsafeMutablePointer<CChar>] = []
        defer { owned.forEach { free($0) } }
        func copy(_ s: String) -> UnsafePointer<CChar>? {
            guard let p = strdup(s) else { return nil }
            owned.append(p)
            return UnsafePointer(p)
        }
        o.url = copy(url)
        o.dialect = dialect.rawValue
        o.auto_relogin = autoRelogin ? 1 : 0
        if let s = subprotocol { o.subprotocol = copy(s) }
        if let v = keepaliveIntervalMs { o.keepalive_interval_ms = v }
        if let v = keepaliveTimeoutMs { o.keepalive_timeout_ms = v }
        if let v = connectTimeoutMs { o.connect_timeout_ms = v }
        if let v = loginTimeoutMs { o.login_timeout_ms = v }
        if let v = maxPendingQos { o.max_pending_qos = v }
        if let v = maxCallbackBacklog { o.max_callback_backlog = v }
        if let v = maxCallbackBacklogBytes { o.max_callback_backlog_bytes = v }
        if let v = maxOutboundBytes { o.max_outbound_bytes = v }
        if let s = tlsExtraCAPEM { o.tls_extra_ca_pem = copy(s) }
        let pins: [UnsafePointer<CChar>?] = tlsPins.map { copy($0) }
        return try pins.withUnsafeBufferPointer { pinBuffer in
            o.tls_pins = pins.isEmpty ? nil : pinBuffer.baseAddress
            o.tls_pins_count = pins.count
            return try withUnsafePointer(to: &o) { try body($0) }
        }
    }
}
