// The box behind a client's `user_data`: the C callbacks (on the SDK's imsdk-cb thread)
// turn into IMEvents here and go to the client's AsyncStream; a pending async login is
// settled here too.
//
// Ownership: IMClient.init retains the box once (Unmanaged.passRetained) and hands it
// to im_init as user_data; on_release, which the C library calls exactly once as the
// very last callback, finishes the stream and releases that retain. The box never
// refers to the IMClient, so dropping the client (deinit → im_release) frees both.
import CIMSDK
import Foundation

final class EventSink: @unchecked Sendable {
    private let continuation: AsyncStream<IMEvent>.Continuation
    private let lock = NSLock()
    private var pendingLogin: CheckedContinuation<Void, Error>?
    private var dropped: UInt64 = 0

    init(continuation: AsyncStream<IMEvent>.Continuation) {
        self.continuation = continuation
    }

    var droppedEvents: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return dropped
    }

    /// Registers the continuation of an async login; false if one is already waiting.
    func setPendingLogin(_ c: CheckedContinuation<Void, Error>) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if pendingLogin != nil { return false }
        pendingLogin = c
        return true
    }

    /// Settles the waiting async login, if any: success when `error` is nil.
    func settleLogin(_ error: IMError?) {
        lock.lock()
        let c = pendingLogin
        pendingLogin = nil
        lock.unlock()
        if let error = error { c?.resume(throwing: error) } else { c?.resume() }
    }

    func emit(_ event: IMEvent) {
        switch event {
        case let .loginResult(code, false):
            settleLogin(code == IM_OK ? nil : IMError.code(code))
        case let .stateChanged(state, reason, _, _) where state == IM_STATE_IDLE && reason == IM_REASON_LOGGED_OUT:
            // logout() came before the login result: no result will follow.
            settleLogin(IMError(code: IM_ERR_NO_LOGIN, message: "the login was abandoned by logout()"))
        default:
            break
        }
        if case .dropped = continuation.yield(event) {
            lock.lock()
            dropped += 1
            lock.unlock()
        }
    }

    func finish() {
        settleLogin(IMError(code: IM_ERR_INVALID_HANDLE, message: "the client was released"))
        _ = continuation.yield(.released)
        continuation.finish()
    }

    static func from(_ userData: UnsafeMutableRawPointer?) -> EventSink? {
        guard let userData = userData else { return nil }
        return Unmanaged<EventSink>.fromOpaque(userData).takeUnretainedValue()
    }

    /// The C callbacks, all routed to the box passed as `userData`. The closures capture
    /// nothing, as C function pointers must.
    static func callbacks(userData: UnsafeMutableRawPointer) -> ImCallbacks {
        var cb = ImCallbacks()
        cb.struct_size = UInt32(MemoryLayout<ImCallbacks>.stride)
        cb.user_data = userData
        cb.on_login_result = { ud, code, isRelogin in
            EventSink.from(ud)?.emit(.loginResult(code: code, isRelogin: isRelogin))
        }
        cb.on_link_closed = { ud, reason in
            EventSink.from(ud)?.emit(.linkClosed(reason: reason))
        }
        cb.on_message = { ud, message in
            guard let message = message else { return }
            EventSink.from(ud)?.emit(.message(IMMessage(message.pointee)))
        }
        cb.on_server_error = { ud, code, text in
            EventSink.from(ud)?.emit(.serverError(code: code, message: cString(text)))
        }
        cb.on_messages_lost = { ud, list, count in
            guard let list = list else { return }
            let lost = UnsafeBufferPointer(start: list, count: count).map(IMLostMessage.init)
            EventSink.from(ud)?.emit(.messagesLost(lost))
        }
        cb.on_message_acked = { ud, fp in
            EventSink.from(ud)?.emit(.messageAcked(fp: cString(fp)))
        }
        cb.on_kicked = { ud, code, reason in
            EventSink.from(ud)?.emit(.kicked(code: code, reason: cString(reason)))
        }
        cb.on_state_changed = { ud, state, reason, attempt, delayMs in
            EventSink.from(ud)?.emit(.stateChanged(state: state, reason: reason, attempt: attempt, delayMs: delayMs))
        }
        cb.on_echo = { ud, text in
            EventSink.from(ud)?.emit(.echo(cString(text)))
        }
        cb.on_release = { ud in
            guard let ud = ud else { return }
            let box = Unmanaged<EventSink>.fromOpaque(ud)
            box.takeUnretainedValue().finish()
            box.release()
        }
        return cb
    }
}
