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
/// it never listens on anything but loopback. It answers on NIO's event loop, never on the Swift
/// concurrency pool, so tests that hold the pool's threads cannot delay its answers.
final class LoopbackHTTPServer: Sendable {
    let port: Int
    private let serverChannel: any Channel
    private let recorder: RequestRecorder

    var url: String { "http://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { recorder.all }

    private init(port: Int, serverChannel: any Channel, recorder: RequestRecorder) {
        self.port = port; self.serverChannel = serverChannel; self.recorder = recorder
    }

    static func start(_ handler: @escaping @Sendable (RecordedRequest) -> LoopbackReply) async throws
        -> LoopbackHTTPServer
    {
        let recorder = RequestRecorder()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        ReplyHandler(handler: handler, recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return LoopbackHTTPServer(port: channel.localAddress?.port ?? 0, serverChannel: channel, recorder: recorder)
    }

    /// Stops listening. Connections already open are left to their clients.
    func shutdown() async {
        try? await serverChannel.close()
    }
}

/// Collects one request at a time and writes the handler's reply, after its delay.
private final class ReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: @Sendable (RecordedRequest) -> LoopbackReply
    private let recorder: RequestRecorder
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(handler: @escaping @Sendable (RecordedRequest) -> LoopbackReply, recorder: RequestRecorder) {
        self.handler = handler; self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let value):
            head = value
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = RecordedRequest(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { AWSField($0.name, $0.value) }, body: body)
            recorder.append(request)
            let reply = handler(request)
            if reply.delay > .zero {
                let loop = context.eventLoop
                let bound = NIOLoopBound((self, context), eventLoop: loop)
                loop.scheduleTask(in: .nanoseconds(Int64(reply.delay / .nanoseconds(1)))) {
                    let (handler, context) = bound.value
                    handler.write(reply, version: head.version, context: context)
                }
            } else {
                write(reply, version: head.version, context: context)
            }
        }
    }

    private func write(_ reply: LoopbackReply, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(reply.headers.map { ($0.name, $0.value) })
        headers.replaceOrAdd(name: "Content-Length", value: String(reply.body.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(
            version: version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
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
