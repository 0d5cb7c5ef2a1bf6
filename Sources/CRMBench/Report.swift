import Foundation

extension BenchReport {
  /// The table people read: our numbers, the SQLite floor, the ratio, the target and a verdict.
  public func table() -> String {
    func ms(_ v: Double?) -> String {
      v.map { String(format: $0 < 10 ? "%.2f" : "%.1f", $0) } ?? "—"
    }
    func pad(_ s: String, _ n: Int, right: Bool = true) -> String {
      let p = String(repeating: " ", count: max(0, n - s.count))
      return right ? p + s : s + p
    }
    var out = [
      "TermCRM benchmark · dataset \(dataset.rawValue): \(clients) clients, \(persons) persons, \(contacts) contacts, \(users) users · seed \(seed)",
      "machine: \(machine)",
      "times in ms (memory in MB); bound = the same SQL through the bare SQLite C API",
      "",
      pad("case", 36, right: false) + pad("median", 8) + pad("p95", 8) + pad("p99", 8)
        + pad("max", 8) + pad("bound", 8) + pad("ratio", 8) + pad("target", 8) + "  verdict",
    ]
    for c in cases {
      var line = pad(c.name, 36, right: false)
      if let o = c.ours {
        line += pad(ms(o.median), 8) + pad(ms(o.p95), 8) + pad(ms(o.p99), 8) + pad(ms(o.max), 8)
      } else if let v = c.value {
        line += pad(String(format: "%.1f", v), 8) + String(repeating: " ", count: 24)
      } else {
        line += pad("—", 8) + String(repeating: " ", count: 24)
      }
      line += pad(ms(c.bound?.median), 8)
      line += pad(c.ratio.map { String(format: "%.1f×", $0) } ?? "—", 8)
      line += pad(c.target.map { String(format: "%.0f", $0) } ?? "—", 8)
      switch c.meetsTarget {
      case .some(true): line += "  ok"
      case .some(false): line += "  OVER"
      case .none: line += "  " + (c.note == "not built yet" ? "not built yet" : "")
      }
      out.append(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
    }
    out.append("")
    for c in cases where c.note != "not built yet" && !c.note.isEmpty {
      out.append("\(c.name): \(c.note)")
    }
    return out.joined(separator: "\n")
  }

  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
  }
}

/// Committed ratios (our median / SQLite floor) that CI compares against. Absolute times vary
/// between machines; the ratio of two measurements taken in the same run varies much less.
public struct Baseline: Codable, Equatable, Sendable {
  public var dataset: Dataset
  public var ratios: [String: Double]
  /// A case fails when its ratio grows beyond `tolerance` × the baseline ratio.
  public static let tolerance = 3.0

  public init(_ report: BenchReport) {
    dataset = report.dataset
    ratios = Dictionary(
      uniqueKeysWithValues: report.cases.compactMap { c in c.ratio.map { (c.name, $0) } })
  }

  public static func load(_ path: String) throws -> Baseline {
    try JSONDecoder().decode(Baseline.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }

  public func save(_ path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
  }

  /// Regressions of `report` against this baseline, one human line each; empty when none.
  public func regressions(_ report: BenchReport) -> [String] {
    guard report.dataset == dataset else {
      return ["baseline is for dataset \(dataset.rawValue), this run is \(report.dataset.rawValue)"]
    }
    var out: [String] = []
    for c in report.cases {
      guard let now = c.ratio, let then = ratios[c.name] else { continue }
      if now > then * Self.tolerance {
        out.append(
          String(
            format: "%@: %.1f× the SQLite floor, baseline %.1f× (limit %.1f×)", c.name, now, then,
            then * Self.tolerance))
      }
    }
    return out
  }
}
