import Foundation
import Testing

@testable import WeftModel

private enum Operator: String, Codable, Equatable {
    case equal = "=="
    case notEqual = "!="
}

private struct Params: Codable, Equatable {
    var key: String
    var `operator`: Operator
    var value: JSON
    var count: Int?
}

private struct FlowNode: Codable, Equatable {
    var id: String
    var params: Params
}

private struct Flow: Codable, Equatable {
    var nodes: [FlowNode]
}

private struct Numbers: Codable, Equatable {
    var int: Int
    var int8: Int8
    var uint64: UInt64
    var double: Double
    var float: Float
}

private struct Stamped: Codable, Equatable {
    var at: Date
}

private func decodingFailure<T: Decodable>(_ type: T.Type, _ value: JSON) -> DecodingError? {
    do {
        _ = try JSONValueDecoder().decode(T.self, from: value)
        return nil
    } catch let error as DecodingError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite struct JSONCodingTests {
    private let flow: JSON = [
        "nodes": [
            ["id": "a", "params": ["key": "$.x", "operator": "==", "value": [1, "two"], "count": 3]],
            ["id": "b", "params": ["key": "$.y", "operator": "!=", "value": nil]],
        ]
    ]

    @Test func decodesNestedStructures() throws {
        let decoded = try JSONValueDecoder().decode(Flow.self, from: flow)
        #expect(decoded.nodes.count == 2)
        #expect(decoded.nodes[0].params.operator == .equal)
        #expect(decoded.nodes[0].params.value == [1, "two"])
        #expect(decoded.nodes[0].params.count == 3)
        #expect(decoded.nodes[1].params.value == .null)
        #expect(decoded.nodes[1].params.count == nil)
    }

    @Test func jsonFieldsReceiveTheRawValue() throws {
        let raw: JSON = ["z": 1, "a": [2.5, ["k": nil]]]
        let decoded = try JSONValueDecoder().decode(JSON.self, from: raw)
        #expect(decoded == raw)
        #expect(decoded.objectValue?.keys.elements == ["z", "a"])
        let params = try JSONValueDecoder().decode(
            Params.self, from: ["key": "k", "operator": "==", "value": raw])
        #expect(params.value.objectValue?.keys.elements == ["z", "a"])
    }

    @Test func integersDecodeOnlyFromIntegralNumbers() throws {
        let decoder = JSONValueDecoder()
        #expect(try decoder.decode(Int.self, from: 1.0) == 1)
        #expect(try decoder.decode(Int.self, from: -5) == -5)
        #expect(try decoder.decode(Int64.self, from: .int(Int64.min)) == Int64.min)
        #expect(try decoder.decode(Double.self, from: 3) == 3.0)
        #expect(try decoder.decode(Float.self, from: 0.5) == 0.5)

        let fractional = decodingFailure(Int.self, 1.5)
        guard case .typeMismatch = fractional else {
            Issue.record("expected a type mismatch, got \(String(describing: fractional))")
            return
        }
        #expect(fractional?.readableMessage == "expected integer, found number 1.5")

        let overflow = decodingFailure(Int8.self, 300)
        guard case .dataCorrupted = overflow else {
            Issue.record("expected data corrupted, got \(String(describing: overflow))")
            return
        }
        #expect(overflow?.readableMessage == "number 300 does not fit in Int8")
        #expect(decodingFailure(UInt.self, -1)?.readableMessage == "number -1 does not fit in UInt")
        #expect(decodingFailure(Float.self, 1e300)?.readableMessage == "number 1e+300 does not fit in Float")
    }

    @Test func scalarsAreStrict() {
        #expect(decodingFailure(Int.self, "abc")?.readableMessage == #"expected integer, found string "abc""#)
        #expect(decodingFailure(String.self, 5)?.readableMessage == "expected string, found number 5")
        #expect(decodingFailure(Bool.self, 1)?.readableMessage == "expected boolean, found number 1")
        #expect(decodingFailure(Bool.self, "true")?.readableMessage == #"expected boolean, found string "true""#)
        #expect(decodingFailure(Double.self, "1.5")?.readableMessage == #"expected number, found string "1.5""#)
        #expect(decodingFailure([Int].self, ["a": 1])?.readableMessage == "expected array, found object")
        #expect(decodingFailure(Params.self, [1])?.readableMessage == "expected object, found array")
        let long = String(repeating: "x", count: 60)
        #expect(
            decodingFailure(Int.self, .string(long))?.readableMessage
                == "expected integer, found string \"\(String(repeating: "x", count: 40))…\"")
    }

    @Test func nullForARequiredValue() {
        let error = decodingFailure(Params.self, ["key": nil, "operator": "==", "value": 1])
        guard case .valueNotFound = error else {
            Issue.record("expected value not found, got \(String(describing: error))")
            return
        }
        #expect(error?.readableMessage == "expected string, found null")
        #expect(error?.jsonPointer == "/key")
    }

    @Test func missingKeyPointsAtTheKey() {
        var nodes = flow["nodes"]!.arrayValue!
        nodes += nodes
        nodes.append(["id": "c", "params": ["key": "$", "value": 1]])
        let error = decodingFailure(Flow.self, ["nodes": .array(nodes)])
        guard case .keyNotFound = error else {
            Issue.record("expected key not found, got \(String(describing: error))")
            return
        }
        #expect(error?.jsonPointer == "/nodes/4/params/operator")
        #expect(error?.readableMessage == "missing required key 'operator'")
    }

    @Test func wrongTypePointsAtTheValue() {
        let error = decodingFailure(
            Flow.self, ["nodes": [["id": "a", "params": ["key": "k", "operator": "==", "value": 1, "count": 2.5]]]])
        #expect(error?.jsonPointer == "/nodes/0/params/count")
        #expect(error?.readableMessage == "expected integer, found number 2.5")
    }

    @Test func unknownEnumValue() {
        let error = decodingFailure(
            Flow.self, ["nodes": [["id": "a", "params": ["key": "k", "operator": "xyz", "value": 1]]]])
        #expect(error?.jsonPointer == "/nodes/0/params/operator")
        #expect(error?.readableMessage == #"unknown value "xyz""#)
    }

    @Test func unknownKeysCanBeRejected() throws {
        let value: JSON = [
            "nodes": [["id": "a", "params": ["key": "k", "operator": "==", "value": ["free": 1], "extra": true]]]
        ]
        #expect(try JSONValueDecoder().decode(Flow.self, from: value).nodes.count == 1)
        var strict = JSONValueDecoder()
        strict.rejectsUnknownKeys = true
        do {
            _ = try strict.decode(Flow.self, from: value)
            Issue.record("no error")
        } catch let error as DecodingError {
            #expect(error.jsonPointer == "/nodes/0/params/extra")
            #expect(error.readableMessage == "unknown key 'extra'")
        }
        let fine: JSON = ["nodes": [["id": "a", "params": ["key": "k", "operator": "==", "value": ["free": 1]]]]]
        #expect(try strict.decode(Flow.self, from: fine).nodes[0].params.value == ["free": 1])
        #expect(try strict.decode([String: Int].self, from: ["a": 1, "b": 2]) == ["a": 1, "b": 2])
    }

    @Test func pointersEscapeKeys() {
        let error = decodingFailure([String: Int].self, ["fine": 1, "a/b~c": "x"])
        #expect(error?.jsonPointer == "/a~1b~0c")
        #expect(JSONPointer.escape("a/b~c") == "a~1b~0c")
        #expect(JSONPointer.escape("plain") == "plain")
        #expect(JSONPointer.append("/nodes", 3) == "/nodes/3")
        #expect(JSONPointer.append(JSONPointer.append("", "x/y"), "~") == "/x~1y/~0")
    }

    @Test func unkeyedContainerEnd() {
        struct Pair: Decodable {
            var first: Int
            var second: Int
            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                first = try container.decode(Int.self)
                second = try container.decode(Int.self)
            }
        }
        let error = decodingFailure([Pair].self, [[1, 2], [3]])
        #expect(error?.jsonPointer == "/1/1")
        #expect(error?.readableMessage == "expected integer, found the end of the array")
    }

    @Test func datesDecodeFromISO8601AndEpochSeconds() throws {
        let decoder = JSONValueDecoder()
        let noon = Date(timeIntervalSince1970: 1_714_564_800)
        for text in ["2024-05-01T12:00:00Z", "2024-05-01T14:00:00+02:00", "2024-05-01T07:00:00-0500", "2024-05-01t12:00:00z"] {
            #expect(try decoder.decode(Date.self, from: .string(text)) == noon, "\(text)")
        }
        let fractional = try decoder.decode(Date.self, from: "2024-05-01T12:00:00.250Z")
        #expect(abs(fractional.timeIntervalSince1970 - 1_714_564_800.25) < 1e-6)
        #expect(try decoder.decode(Date.self, from: "2024-05-01") == Date(timeIntervalSince1970: 1_714_521_600))
        #expect(try decoder.decode(Date.self, from: 1_714_564_800) == noon)
        #expect(try decoder.decode(Date.self, from: 1_714_564_800.5) == Date(timeIntervalSince1970: 1_714_564_800.5))
        #expect(try decoder.decode(Stamped.self, from: ["at": "2024-05-01T12:00:00Z"]).at == noon)
        for bad in ["2024-13-01T00:00:00Z", "2023-02-29", "yesterday", "2024-05-01T25:00:00Z", "2024-05-01T12:00:00Zjunk"] {
            #expect(decodingFailure(Date.self, .string(bad)) != nil, "\(bad)")
        }
        #expect(decodingFailure(Stamped.self, ["at": true])?.jsonPointer == "/at")
    }

    @Test func encoderKeepsOrderAndExactness() throws {
        let numbers = Numbers(int: -3, int8: 7, uint64: UInt64.max, double: 0.1, float: 0.1)
        let json = try JSONValueEncoder().encode(numbers)
        #expect(json.objectValue?.keys.elements == ["int", "int8", "uint64", "double", "float"])
        #expect(json.serialized() == #"{"int":-3,"int8":7,"uint64":1.8446744073709552e+19,"double":0.1,"float":0.1}"#)
        let params = Params(key: "k", operator: .notEqual, value: ["b": 1, "a": [nil, true]], count: nil)
        let encoded = try JSONValueEncoder().encode(params)
        #expect(encoded.serialized() == #"{"key":"k","operator":"!=","value":{"b":1,"a":[null,true]}}"#)
        #expect(try JSONValueDecoder().decode(Params.self, from: encoded) == params)
        let flowValue = try JSONValueDecoder().decode(Flow.self, from: flow)
        #expect(try JSONValueDecoder().decode(Flow.self, from: try JSONValueEncoder().encode(flowValue)) == flowValue)
    }

    @Test func encoderWritesDatesWithMilliseconds() throws {
        let encoder = JSONValueEncoder()
        #expect(try encoder.encode(Date(timeIntervalSince1970: 1_714_564_800.25)) == "2024-05-01T12:00:00.250Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(try encoder.encode(Stamped(at: Date(timeIntervalSince1970: 951_782_400))) == ["at": "2000-02-29T00:00:00.000Z"])
        let date = Date(timeIntervalSince1970: 1_700_000_000.123)
        let back = try JSONValueDecoder().decode(Date.self, from: try encoder.encode(date))
        #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.001)
    }

    @Test func encoderRejectsNonFiniteNumbers() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Float.infinity) }
    }

    @Test func jsonIsCodableWithFoundationCoders() throws {
        let value: JSON = ["big": .int(9_007_199_254_740_993), "list": [1, 2.5, "s", nil, true], "nested": ["k": [:]]]
        let data = try JSONEncoder().encode(value)
        let back = try JSONDecoder().decode(JSON.self, from: data)
        #expect(back == value)
        guard case .int(let big) = back["big"] else {
            Issue.record("big is not an int")
            return
        }
        #expect(big == 9_007_199_254_740_993)
        #expect(try JSON.parse(Array(data)) == value)
    }

    @Test func jsonPassesThroughTheValueCoders() throws {
        let value: JSON = ["z": 1, "a": 2.0]
        #expect(try JSONValueEncoder().encode(value).serialized() == #"{"z":1,"a":2.0}"#)
        #expect(try JSONValueEncoder().encode(["x": value]).serialized() == #"{"x":{"z":1,"a":2.0}}"#)
    }
}
