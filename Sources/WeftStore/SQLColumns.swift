import Foundation
import SQLKit
import WeftEngine
import WeftModel

/// Dates as the store keeps them: rounded to the nearest millisecond, so that a date reads back
/// equal to the one written on both engines.
enum StoreDate {
    static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    static func rounded(_ date: Date?) -> Date? {
        date.map { rounded($0) }
    }

    static func now() -> Date { rounded(Date()) }
}

/// A JSON value bound as a parameter: text, cast to the JSON column type on PostgreSQL.
struct JSONParameter: SQLExpression {
    var text: String?

    init(_ value: JSON) { text = value.serialized() }
    init(_ value: JSON?) { text = value?.serialized() }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(bind: text)
        if serializer.dialect.name == "postgresql" { serializer.write("::" + SQLTypes.postgresJSON) }
    }
}

extension SQLRow {
    func string(_ column: String) throws -> String {
        try decode(column: column, as: String.self)
    }

    func optionalString(_ column: String) throws -> String? {
        try decodeNil(column: column) ? nil : decode(column: column, as: String.self)
    }

    func int(_ column: String) throws -> Int {
        try decode(column: column, as: Int.self)
    }

    func optionalInt(_ column: String) throws -> Int? {
        try decodeNil(column: column) ? nil : decode(column: column, as: Int.self)
    }

    func bool(_ column: String) throws -> Bool {
        try decode(column: column, as: Bool.self)
    }

    func date(_ column: String) throws -> Date {
        StoreDate.rounded(try decode(column: column, as: Date.self))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try decodeNil(column: column) ? nil : date(column)
    }

    func json(_ column: String) throws -> JSON {
        let text = try string(column)
        do {
            return try JSON.parse(text)
        } catch {
            throw StoreError.backend("column \(column) holds invalid JSON: \(error)")
        }
    }

    /// SQL NULL is `nil`; a stored JSON `null` is `.null`.
    func optionalJSON(_ column: String) throws -> JSON? {
        if try decodeNil(column: column) { return nil }
        return try json(column)
    }

    func status(_ column: String) throws -> RunStatus {
        let raw = try string(column)
        guard let status = RunStatus(rawValue: raw) else {
            throw StoreError.backend("column \(column) holds an unknown status '\(raw)'")
        }
        return status
    }
}

/// The JSON shapes of a step record's structured fields.
enum StepColumns {
    static func outputs(_ outputs: [String: StoredItems]) -> JSON {
        var object = JSONObject()
        for name in outputs.keys.sorted() {
            switch outputs[name]! {
            case .inline(let items):
                object[name] = ["inline": .array(items)]
            case .pages(let pages):
                object[name] = [
                    "pages": .array(
                        pages.map {
                            ["blobId": .string($0.blobId), "firstItem": .int(Int64($0.firstItem)), "count": .int(Int64($0.count))]
                        })
                ]
            }
        }
        return .object(object)
    }

    static func outputs(_ json: JSON) throws -> [String: StoredItems] {
        guard let object = json.objectValue else { throw corrupt("outputs") }
        var outputs: [String: StoredItems] = [:]
        for (name, value) in object {
            if let items = value["inline"]?.arrayValue {
                outputs[name] = .inline(items)
            } else if let pages = value["pages"]?.arrayValue {
                outputs[name] = .pages(
                    try pages.map { page in
                        guard let blobId = page["blobId"]?.stringValue, let first = page["firstItem"]?.intValue,
                            let count = page["count"]?.intValue
                        else { throw corrupt("outputs") }
                        return BlobPage(blobId: blobId, firstItem: Int(first), count: Int(count))
                    })
            } else {
                throw corrupt("outputs")
            }
        }
        return outputs
    }

    static func itemCounts(_ counts: [String: Int]) -> JSON {
        var object = JSONObject()
        for name in counts.keys.sorted() { object[name] = .int(Int64(counts[name]!)) }
        return .object(object)
    }

    static func itemCounts(_ json: JSON) throws -> [String: Int] {
        guard let object = json.objectValue else { throw corrupt("item_counts") }
        var counts: [String: Int] = [:]
        for (name, value) in object {
            guard let count = value.intValue else { throw corrupt("item_counts") }
            counts[name] = Int(count)
        }
        return counts
    }

    static func error(_ error: StepError?) -> JSON? {
        guard let error else { return nil }
        var object: JSONObject = ["message": .string(error.message), "nodeId": .string(error.nodeId)]
        if let index = error.itemIndex { object["itemIndex"] = .int(Int64(index)) }
        if let code = error.code { object["code"] = .string(code) }
        return .object(object)
    }

    static func error(_ json: JSON?) throws -> StepError? {
        guard let json else { return nil }
        guard let message = json["message"]?.stringValue, let nodeId = json["nodeId"]?.stringValue else {
            throw corrupt("error")
        }
        return StepError(
            message: message, nodeId: nodeId, itemIndex: json["itemIndex"]?.intValue.map { Int($0) },
            code: json["code"]?.stringValue)
    }

    static func strings(_ values: [String]) -> JSON {
        .array(values.map { .string($0) })
    }

    static func strings(_ json: JSON, column: String) throws -> [String] {
        guard let array = json.arrayValue else { throw corrupt(column) }
        return try array.map {
            guard let value = $0.stringValue else { throw corrupt(column) }
            return value
        }
    }

    private static func corrupt(_ column: String) -> StoreError {
        StoreError.backend("column \(column) holds an unexpected JSON shape")
    }
}

/// Runs `body`, which turns a row into a record; a failure becomes `StoreError.backend`.
func decoding<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StoreError {
        throw error
    } catch {
        throw StoreError.backend("cannot read a stored row: \(error)")
    }
}
