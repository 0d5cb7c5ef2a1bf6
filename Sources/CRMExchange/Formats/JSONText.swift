import Foundation

/// The text of every `--json` output, stable for scripts: ISO 8601 dates in UTC, keys sorted so
/// diffs of two outputs are readable, Cyrillic kept as is.
public enum JSONText {
  public static func iso(_ d: Date?) -> Any {
    guard let d else { return NSNull() }
    let f = ISO8601DateFormatter()
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: d)
  }

  /// A point in time as its ISO 8601 text in UTC.
  public static func isoText(_ d: Date) -> String { iso(d) as? String ?? "" }

  /// Serialises to pretty, key-sorted UTF-8 JSON (Cyrillic kept as is, not escaped).
  public static func text(_ value: Any) -> String {
    let data =
      (try? JSONSerialization.data(
        withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
      ?? Data("null".utf8)
    return escapingInvisible(String(decoding: data, as: UTF8.self))
  }

  /// JSON escapes C0 controls itself; DEL, C1 controls, the line separators and the
  /// bidirectional controls it leaves raw, and a terminal would act on them. They can occur only
  /// inside strings, so `\uXXXX` keeps the value exactly.
  static func escapingInvisible(_ json: String) -> String {
    guard json.utf8.contains(where: { $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 })
    else { return json }
    var out = ""
    for s in json.unicodeScalars {
      let v = s.value
      let invisible =
        (0x7F...0x9F).contains(v) || v == 0x61C || v == 0x200E || v == 0x200F || v == 0x2028
        || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
      if invisible {
        let hex = String(v, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        out.unicodeScalars.append(s)
      }
    }
    return out
  }
}
