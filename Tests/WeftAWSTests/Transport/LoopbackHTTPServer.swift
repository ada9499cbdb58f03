import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import WeftAWS

/// A request the loopback server received.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [AWSField]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
}

/// What the loopback server answers; `delay` holds the answer back (for timeout tests).
struct LoopbackReply: Sendable {
    var status: Int
    var headers: [AWSField] = []
    var body: [UInt8] = []
    var delay: Duration = .zero

    static func text(_ status: Int, _ text: String, headers: [AWSField] = []) -> LoopbackReply {
        LoopbackReply(status: status, headers: headers, body: Array(text.utf8))
    }
}

/// An HTTP/1.1 server on 127.0.0.1 at a free port, answering every request with a handler. Tests only:
/// it never listens on anything but loopback.
final class LoopbackHTTPServer: Sendable {
    let port: Int
    private let serverChannel: any Channel
    private let task: Task<Void, Never>
    private let recorder: RequestRecorder

    var url: String { "http://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { recorder.all }

    private init(port: Int, serverChannel: any Channel, task: Task<Void, Never>, recorder: RequestRecorder) {
        self.port = port; self.serverChannel = serverChannel; self.task = task; self.recorder = recorder
    }

    static func start(_ handler: @escaping @Sendable (RecordedRequest) async -> LoopbackReply) async throws
        -> LoopbackHTTPServer
    {
        let recorder = RequestRecorder()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? 0
        let channel = server.channel
        let task = Task<Void, Never> {
            _ = try? await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection, handler: handler, recorder: recorder) }
                    }
                }
            }
        }
        return LoopbackHTTPServer(port: port, serverChannel: channel, task: task, recorder: recorder)
    }

    /// Stops listening and drops open connections.
    func shutdown() async {
        try? await serverChannel.close()
        task.cancel()
        await task.value
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                              handler: @Sendable (RecordedRequest) async -> LoopbackReply,
                              recorder: RequestRecorder) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let value):
                    head = value
                    body = []
                case .body(var buffer):
                    body += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    guard let head else { continue }
                    let request = RecordedRequest(
                        method: head.method.rawValue, uri: head.uri,
                        headers: head.headers.map { AWSField($0.name, $0.value) }, body: body)
                    recorder.append(request)
                    let reply = await handler(request)
                    if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
                    var headers = HTTPHeaders(reply.headers.map { ($0.name, $0.value) })
                    headers.replaceOrAdd(name: "Content-Length", value: String(reply.body.count))
                    try await outbound.write(.head(HTTPResponseHead(
                        version: head.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: reply.body))))
                    try await outbound.write(.end(nil))
                }
            }
        }
    }
}

/// Requests seen so far, in arrival order.
final class RequestRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [RecordedRequest] = []

    func append(_ request: RecordedRequest) { lock.lock(); requests.append(request); lock.unlock() }
    var all: [RecordedRequest] { lock.lock(); defer { lock.unlock() }; return requests }
}

/// A thread-safe counter for handlers that answer differently per call.
final class LoopbackCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// Increments and returns the new value (1 on the first call).
    @discardableResult func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    var current: Int { lock.lock(); defer { lock.unlock() }; return value }
}
