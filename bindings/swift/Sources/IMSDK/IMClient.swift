// IMClient: one imsdk client, a thin Swift layer over the C API of include/imsdk.h.
// Every method maps to one im_* call; the threading and delivery guarantees are the C
// library's (events come from its imsdk-cb thread; hop to the main actor yourself).
import CIMSDK
import Foundation

public final class IMClient: @unchecked Sendable {
    /// Every event of this client, in order; ends after `.released`. Read it from one
    /// task (`for await event in client.events`).
    public let events: AsyncStream<IMEvent>
    private let handle: OpaquePointer
    private let sink: EventSink

    /// Creates the client (does not connect). Throws `IMError` for a bad option.
    public init(options: IMOptions) throws {
        var continuation: AsyncStream<IMEvent>.Continuation?
        events = AsyncStream(bufferingPolicy: .bufferingNewest(max(1, options.eventBufferLimit))) {
            continuation = $0
        }
        guard let stream = continuation else {
            throw IMError(code: IM_ERR_UNKNOWN, message: "AsyncStream gave no continuation")
        }
        let sink = EventSink(continuation: stream)
        let userData = Unmanaged.passRetained(sink).toOpaque()
        var callbacks = EventSink.callbacks(userData: userData)
        var out: OpaquePointer?
        let rc: Int32
        do {
            rc = try options.withCOptions { im_init($0, &callbacks, &out) }
        } catch {
            Unmanaged<EventSink>.fromOpaque(userData).release()
            stream.finish()
            throw error
        }
        guard rc == IM_OK, let created = out else {
            let error = IMError.last(rc)
            // No callback follows a failed im_init: the retain is ours to drop.
            Unmanaged<EventSink>.fromOpaque(userData).release()
            stream.finish()
            throw error
        }
        handle = created
        self.sink = sink
    }

    /// Releases the client (im_release is a barrier: `.released` was the last event).
    deinit {
        _ = im_release(handle)
    }

    /// Logs in and waits for the result of this login. Throws `IMError` when it is not
    /// accepted (e.g. `IM_ERR_ALREADY_LOGGED_IN`), when it fails (`IM_ERR_CONNECT`,
    /// `IM_ERR_TLS`, the server's refusal code, …), or when `logout()` or `release()`
    /// comes first. Later automatic re-logins are reported as `.loginResult` events.
    public func login(userId: String, token: String, app: String? = nil, extra: String? = nil) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
            guard sink.setPendingLogin(c) else {
                c.resume(throwing: IMError(code: IM_ERR_ALREADY_LOGGED_IN, message: "a login is already in progress"))
                return
            }
            let rc = callLogin(userId: userId, token: token, app: app, extra: extra)
            if rc != IM_OK {
                sink.settleLogin(IMError.last(rc))
            }
        }
    }

    /// Starts a login without waiting: its result comes as a `.loginResult` event.
    public func startLogin(userId: String, token: String, app: String? = nil, extra: String? = nil) throws {
        let rc = callLogin(userId: userId, token: token, app: app, extra: extra)
        guard rc == IM_OK else { throw IMError.last(rc) }
    }

    private func callLogin(userId: String, token: String, app: String?, extra: String?) -> Int32 {
        userId.withCString { user in
            token.withCString { tok in
                withOptionalCString(app) { appPtr in
                    withOptionalCString(extra) { extraPtr in
                        im_login(handle, user, tok, appPtr, extraPtr)
                    }
                }
            }
        }
    }

    /// Sends `content` from the logged-in user to `to` and returns the fingerprint. With
    /// QoS (default) exactly one `.messageAcked` or `.messagesLost` follows; it is queued
    /// while offline. `typeu` nil: the dialect's default; `fp` nil: a generated UUID.
    @discardableResult
    public func send(to: String, content: Data, qos: Bool = true, typeu: Int32? = nil, fp: String? = nil) throws -> String {
        var request = ImSendRequest()
        var rc = im_send_request_init(&request, MemoryLayout<ImSendRequest>.stride)
        guard rc == IM_OK else { throw IMError.last(rc) }
        request.qos = qos ? 1 : 0
        if let typeu = typeu { request.typeu = typeu }
        var fpOut = [CChar](repeating: 0, count: Int(IM_FP_BUF_LEN))
        rc = to.withCString { toPtr in
            content.withUnsafeBytes { raw in
                withOptionalCString(fp) { fpPtr in
                    request.to = toPtr
                    request.content = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
                    request.content_len = raw.count
                    request.fp = fpPtr
                    return im_send(handle, &request, &fpOut)
                }
            }
        }
        guard rc == IM_OK else { throw IMError.last(rc) }
        return String(cString: fpOut)
    }

    /// Sends UTF-8 text; see `send(to:content:qos:typeu:fp:)`.
    @discardableResult
    public func send(to: String, text: String, qos: Bool = true, typeu: Int32? = nil, fp: String? = nil) throws -> String {
        try send(to: to, content: Data(text.utf8), qos: qos, typeu: typeu, fp: fp)
    }

    /// Ends the session: pending QoS messages are reported lost (cancelled).
    public func logout() throws {
        try check(im_logout(handle))
    }

    /// Releases now instead of at deinit. Idempotent; every later call throws
    /// `IM_ERR_INVALID_HANDLE`.
    public func release() {
        _ = im_release(handle)
    }

    /// Feed the device's reachability here (NWPathMonitor).
    public func networkChanged(available: Bool) throws {
        try check(im_network_changed(handle, available ? 1 : 0))
    }

    /// Asks the server to echo `text`: an `.echo` event follows.
    public func echo(_ text: String) throws {
        try check(text.withCString { im_echo(handle, $0) })
    }

    /// The current `IM_STATE_*`.
    public func state() throws -> Int32 {
        var state: Int32 = 0
        try check(im_get_state(handle, &state))
        return state
    }

    /// The client's counters and gauges (`ImStats` of the header: `pending_qos`,
    /// `callback_backlog`, `callback_backlog_bytes`, `outbound_bytes`,
    /// `outbound_peak_bytes`, …).
    public func stats() throws -> ImStats {
        var stats = ImStats()
        stats.struct_size = UInt32(MemoryLayout<ImStats>.stride)
        try check(im_get_stats(handle, &stats))
        return stats
    }

    /// Events dropped because `events` was not read and its buffer was full.
    public var droppedEvents: UInt64 { sink.droppedEvents }

    /// The C library's version (e.g. "0.1.0").
    public static var version: String { cString(im_version()) }

    private func check(_ rc: Int32) throws {
        guard rc == IM_OK else { throw IMError.last(rc) }
    }
}

func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) throws -> R) rethrows -> R {
    guard let s = s else { return try body(nil) }
    return try s.withCString { try body($0) }
}
