// Behaviour of the Swift layer that needs no server: option errors, the release
// sequence as the event stream sees it, the async login's failure, errors after
// release. Run on a Mac after building the xcframework: `swift test`.
import CIMSDK
import XCTest
@testable import IMSDK

final class IMClientTests: XCTestCase {
    /// Nothing listens on port 1 of the loopback: a connect fails at once.
    private let closedPort = "ws://127.0.0.1:1/ws"

    func testANonWebSocketURLIsRefusedWithTheNoServerCode() {
        XCTAssertThrowsError(try IMClient(options: IMOptions(url: "http://example.com/ws"))) { error in
            XCTAssertEqual((error as? IMError)?.code, IM_ERR_NO_SERVER)
        }
    }

    func testASubprotocolWithMobileIMSDKIsRefused() {
        var options = IMOptions(url: "ws://127.0.0.1:1/websocket", dialect: .mobileimsdk)
        options.subprotocol = "chat"
        XCTAssertThrowsError(try IMClient(options: options)) { error in
            XCTAssertEqual((error as? IMError)?.code, IM_ERR_INVALID_ARGUMENT)
        }
    }

    func testReleaseEndsTheEventsWithReleasedAndKillsTheClient() async throws {
        let client = try IMClient(options: IMOptions(url: closedPort))
        client.release()
        var events: [IMEvent] = []
        for await event in client.events { events.append(event) }
        guard case .released? = events.last else {
            return XCTFail("the stream did not end with .released: \(events)")
        }
        XCTAssertThrowsError(try client.logout()) { error in
            XCTAssertEqual((error as? IMError)?.code, IM_ERR_INVALID_HANDLE)
        }
        client.release() // a second release is harmless
    }

    func testAsyncLoginThrowsTheConnectCodeWhenTheServerIsUnreachable() async throws {
        var options = IMOptions(url: closedPort)
        options.connectTimeoutMs = 2_000
        let client = try IMClient(options: options)
        do {
            try await client.login(userId: "alice", token: "token")
            XCTFail("the login succeeded without a server")
        } catch let error as IMError {
            XCTAssertEqual(error.code, IM_ERR_CONNECT)
        }
        client.release()
    }

    func testSendWithoutASessionThrowsNoLoginAndQueuesNothing() throws {
        let client = try IMClient(options: IMOptions(url: closedPort))
        XCTAssertThrowsError(try client.send(to: "bob", text: "hello")) { error in
            XCTAssertEqual((error as? IMError)?.code, IM_ERR_NO_LOGIN)
        }
        XCTAssertEqual(try client.stats().pending_qos, 0)
        client.release()
    }

    func testBacklogAndOutboundCapsOutOfRangeAreRefused() {
        var options = IMOptions(url: closedPort)
        options.maxCallbackBacklog = 0
        XCTAssertThrowsError(try IMClient(options: options)) { error in
            XCTAssertEqual((error as? IMError)?.code, IM_ERR_INVALID_ARGUMENT)
            XCTAssertTrue((error as? IMError)?.message.contains("max_callback_backlog") ?? false)
        }
        options = IMOptions(url: closedPort)
        options.maxCallbackBacklogBytes = 65_535
        XCTAssertThrowsError(try IMClient(options: options)) { error in
            XCTAssertEqual((error as? IMError)?.code, IM_ERR_INVALID_ARGUMENT)
        }
        options = IMOptions(url: closedPort)
        options.maxOutboundBytes = 65_535
        XCTAssertThrowsError(try IMClient(options: options)) { error in
            XCTAssertEqual((error as? IMError)?.code, IM_ERR_INVALID_ARGUMENT)
            XCTAssertTrue((error as? IMError)?.message.contains("max_outbound_bytes") ?? false)
        }
    }

    func testTheSmallestCapsAreAcceptedAndTheGaugesStartAtZero() throws {
        var options = IMOptions(url: closedPort)
        options.maxCallbackBacklog = 1
        options.maxCallbackBacklogBytes = 65_536
        options.maxOutboundBytes = 65_536
        let client = try IMClient(options: options)
        let stats = try client.stats()
        XCTAssertEqual(stats.callback_backlog, 0)
        XCTAssertEqual(stats.callback_backlog_bytes, 0)
        XCTAssertEqual(stats.outbound_bytes, 0)
        XCTAssertEqual(stats.outbound_peak_bytes, 0)
        client.release()
    }

    func testTheLibraryMatchesTheHeaderItWasBuiltWith() {
        XCTAssertEqual(IMClient.version, IMSDK_VERSION)
        XCTAssertEqual(Int(im_abi_version()), Int(IMSDK_ABI_VERSION))
    }
}
