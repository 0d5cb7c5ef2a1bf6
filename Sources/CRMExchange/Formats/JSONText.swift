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
    return String(decoding: data, as: UTF8.self)
  }
}
