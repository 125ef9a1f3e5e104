// iOS half of the uni-app plugin's native bridge (../interface.uts), called from
// index.uts. It drives the Swift package's IMClient, whose sources
// scripts/build-xcframework.sh copies next to this file together with
// Frameworks/CIMSDK.xcframework. Parameters are unlabelled and plain (Int, Bool, String)
// so that UTS can call them; events leave as JSON text.
import Foundation

public final class ImsdkBridge: NSObject {
    private static let lock = NSLock()
    private static var clients: [Int: IMClient] = [:]
    private static var nextHandle = 1
    private static var lastErrorText = ""
    private static var lastCreated = 0
    private static var lastFp = ""

    /// Creates a client; returns 0 (then `createdHandle()`) or the error code. Numbers
    /// 0: the library's default.
    public static func create(_ url: String, _ dialect: Int, _ subprotocol: String, _ autoRelogin: Bool,
                              _ keepaliveIntervalMs: Int, _ keepaliveTimeoutMs: Int,
                              _ connectTimeoutMs: Int, _ loginTimeoutMs: Int,
                              _ maxCallbackBacklog: Int, _ maxCallbackBacklogBytes: Int,
                              _ maxOutboundBytes: Int,
                              _ onEvent: @escaping (String) -> Void) -> Int {
        var options = IMOptions(url: url, dialect: dialect == 1 ? .mobileimsdk : .seed)
        options.subprotocol = subprotocol.isEmpty ? nil : subprotocol
        options.autoRelogin = autoRelogin
        if keepaliveIntervalMs > 0 { options.keepaliveIntervalMs = UInt32(clamping: keepaliveIntervalMs) }
        if keepaliveTimeoutMs > 0 { options.keepaliveTimeoutMs = UInt32(clamping: keepaliveTimeoutMs) }
        if connectTimeoutMs > 0 { options.connectTimeoutMs = UInt32(clamping: connectTimeoutMs) }
        if loginTimeoutMs > 0 { options.loginTimeoutMs = UInt32(clamping: loginTimeoutMs) }
        if maxCallbackBacklog > 0 { options.maxCallbackBacklog = UInt32(clamping: maxCallbackBacklog) }
        if maxCallbackBacklogBytes > 0 { options.maxCallbackBacklogBytes = UInt32(clamping: maxCallbackBacklogBytes) }
        if maxOutboundBytes > 0 { options.maxOutboundBytes = UInt32(clamping: maxOutboundBytes) }
        let client: IMClient
        do {
            client = try IMClient(options: options)
        } catch {
            return fail(error)
        }
        lock.lock()
        let handle = nextHandle
        nextHandle += 1
        clients[handle] = client
        lastCreated = handle
        lock.unlock()
        // The task holds the stream, not the client: release() ends both.
        let events = client.events
        Task.detached {
            for await event in events {
                if case .released = event { ImsdkBridge.forget(handle) }
                onEvent(ImsdkBridge.json(event))
            }
        }
        return 0
    }

    public static func createdHandle() -> Int {
        lock.lock()
        defer { lock.unlock() }
        return lastCreated
    }

    /// app / extra: "" for none.
    public static func login(_ handle: Int, _ userId: String, _ token: String, _ app: String, _ extra: String) -> Int {
        call(handle) { try $0.startLogin(userId: userId, token: token, app: app.isEmpty ? nil : app, extra: extra.isEmpty ? nil : extra) }
    }

    /// typeu Int32.min: the dialect's default; fp "": generated. Then `sentFp()`.
    public static func send(_ handle: Int, _ to: String, _ content: String, _ qos: Bool, _ typeu: Int, _ fp: String) -> Int {
        call(handle) { client in
            let used = try client.send(to: to, text: content, qos: qos,
                                       typeu: typeu == Int(Int32.min) ? nil : Int32(clamping: typeu),
                                       fp: fp.isEmpty ? nil : fp)
            ImsdkBridge.lock.lock()
            ImsdkBridge.lastFp = used
            ImsdkBridge.lock.unlock()
        }
    }

    public static func sentFp() -> String {
        lock.lock()
        defer { lock.unlock() }
        return lastFp
    }

    public static func logout(_ handle: Int) -> Int {
        call(handle) { try $0.logout() }
    }

    /// The C library's release barrier: the release event is the last one.
    public static func release(_ handle: Int) -> Int {
        call(handle) { $0.release() }
    }

    public static func networkChanged(_ handle: Int, _ available: Bool) -> Int {
        call(handle) { try $0.networkChanged(available: available) }
    }

    public static func echo(_ handle: Int, _ text: String) -> Int {
        call(handle) { try $0.echo(text) }
    }

    public static func lastError() -> String {
        lock.lock()
        defer { lock.unlock() }
        return lastErrorText
    }

    private static func call(_ handle: Int, _ body: (IMClient) throws -> Void) -> Int {
        lock.lock()
        let client = clients[handle]
        lock.unlock()
        guard let client = client else {
            setError("no such client (released?)")
            return 1004 // IM_ERR_INVALID_HANDLE
        }
        do {
            try body(client)
            setError("")
            return 0
        } catch {
            return fail(error)
        }
    }

    private static func fail(_ error: Error) -> Int {
        if let e = error as? IMError {
            setError(e.message)
            return Int(e.code)
        }
        setError("\(error)")
        return 2 // IM_ERR_UNKNOWN
    }

    private static func setError(_ text: String) {
        lock.lock()
        lastErrorText = text
        lock.unlock()
    }

    private static func forget(_ handle: Int) {
        lock.lock()
        clients[handle] = nil
        lock.unlock()
    }

    static func json(_ event: IMEvent) -> String {
        var e: [String: Any]
        switch event {
        case let .loginResult(code, isRelogin):
            e = ["kind": "loginResult", "code": code, "isRelogin": isRelogin]
        case let .linkClosed(reason):
            e = ["kind": "linkClosed", "reason": reason]
        case let .message(m):
            e = ["kind": "message", "message": [
                "fp": m.fp, "from": m.from, "to": m.to,
                "content": String(decoding: m.content, as: UTF8.self),
                "typeu": m.typeu, "serverTime": m.serverTime ?? -1, "qos": m.qos, "bridge": m.bridge,
            ] as [String: Any]]
        case let .serverError(code, message):
            e = ["kind": "serverError", "code": code, "text": message]
        case let .messagesLost(list):
            e = ["kind": "messagesLost", "lost": list.map { m -> [String: Any] in
                ["fp": m.fp, "to": m.to, "content": String(decoding: m.content, as: UTF8.self),
                 "typeu": m.typeu, "reason": m.reason]
            }]
        case let .messageAcked(fp):
            e = ["kind": "messageAcked", "fp": fp]
        case let .kicked(code, reason):
            e = ["kind": "kicked", "code": code, "text": reason]
        case let .stateChanged(state, reason, attempt, delayMs):
            e = ["kind": "stateChanged", "state": state, "reason": reason, "attempt": attempt, "delayMs": delayMs]
        case let .echo(text):
            e = ["kind": "echo", "text": text]
        case .released:
            e = ["kind": "release"]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: e),
              let text = String(data: data, encoding: .utf8) else {
            return "{\"kind\":\"unencodable\"}"
        }
        return text
    }
}
