import CZlib

/// gzip compression of byte buffers, used for blobs that hold large step outputs.
public enum Compression {
    /// A gzip stream that could not be decompressed.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { "gzip: \(message)" }
    }

    private static let chunkSize = 64 * 1024
    /// Window bits that select the gzip wrapper (15 + 16).
    private static let gzipWindowBits: Int32 = 31
    /// Window bits that accept both gzip and zlib wrappers (15 + 32).
    private static let autoWindowBits: Int32 = 47

    /// Compresses `bytes` into one gzip member. `level` runs from 0 (store) to 9 (smallest);
    /// out-of-range values are clamped.
    public static func gzip(_ bytes: [UInt8], level: Int32 = 1) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, max(0, min(9, level)), Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY,
            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        defer { deflateEnd(&stream) }

        var output: [UInt8] = []
        output.reserveCapacity(min(Int(deflateBound(&stream, UInt(bytes.count))), 1 << 24))
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        bytes.withUnsafeBufferPointer { inBuffer in
            var offset = 0
            var result: Int32 = Z_OK
            repeat {
                let take = min(Int(UInt32.max / 2), inBuffer.count - offset)
                stream.next_in = inBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0 + offset) }
                stream.avail_in = UInt32(take)
                offset += take
                let flush = offset == inBuffer.count ? Z_FINISH : Z_NO_FLUSH
                repeat {
                    chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(out.count)
                        result = deflate(&stream, flush)
                        precondition(result != Z_STREAM_ERROR, "deflate failed")
                        output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                    }
                } while stream.avail_out == 0
            } while result != Z_STREAM_END
        }
        return output
    }

    /// Decompresses a gzip (or zlib) stream; concatenated gzip members are decompressed in turn.
    /// Throws `Compression.Failure` when the data is not a complete, valid stream.
    public static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        let status = inflateInit2_(&stream, autoWindowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(message: "inflateInit2 failed (\(status))") }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        output.reserveCapacity(min(bytes.count * 4, 1 << 26))
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try bytes.withUnsafeBufferPointer { inBuffer in
            var offset = 0
            var outputFull = false
            while true {
                if stream.avail_in == 0 && !outputFull {
                    guard offset < inBuffer.count else { throw Failure(message: "truncated stream") }
                    let take = min(Int(UInt32.max / 2), inBuffer.count - offset)
                    stream.next_in = inBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0 + offset) }
                    stream.avail_in = UInt32(take)
                    offset += take
                }
                var result: Int32 = Z_OK
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    result = inflate(&stream, Z_NO_FLUSH)
                    outputFull = stream.avail_out == 0
                    output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                }
                switch result {
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 { continue }
                    throw Failure(message: "truncated stream")
                case Z_STREAM_END:
                    let remaining = Int(stream.avail_in) + (inBuffer.count - offset)
                    if remaining == 0 { return }
                    guard inflateReset(&stream) == Z_OK else { throw Failure(message: "inflateReset failed") }
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "error \(result)"
                    throw Failure(message: reason)
                }
            }
        }
        return output
    }
}
