// A failed call: the C return code and the library's detailed message for it.
import CIMSDK

public struct IMError: Error, CustomStringConvertible, Sendable {
    /// The `IM_ERR_*` code (or, for a failed login, the server's refusal code).
    public let code: Int32
    public let message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    /// The calling thread's detail of its last call, which returned `code`. Call it on
    /// the thread that made the call, before any other im_* call.
    static func last(_ code: Int32) -> IMError {
        let detail = cString(im_last_error())
        return IMError(code: code, message: detail.isEmpty ? cString(im_strerror(code)) : detail)
    }

    /// An error for a code that came in a callback (no thread-local detail exists).
    static func code(_ code: Int32) -> IMError {
        IMError(code: code, message: cString(im_strerror(code)))
    }

    public var description: String { "imsdk error \(code): \(message)" }
}
