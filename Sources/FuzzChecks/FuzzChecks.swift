import CRMCore
import CRMExchange
import Foundation

/// One parser under fuzzing. The raw value names it on the command line
/// (`scripts/fuzz.sh csv when`) and in `FUZZ_TARGET`.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// Client CSV import (`ClientCSVReader`), with the writer for the round trip.
  case csv
  /// vCard import (`VCardReader`), with `VCardWriter` for the round trip.
  case vcard
  /// 1CClientBankExchange statements (`BankStatementReader`), with `BankStatementWriter`.
  case bank
  /// XLSX workbooks (`XLSXReader`): sheet XML packed into a workbook, or whole files.
  case xlsx
  /// The search box's text → FTS5 query, run against a real database.
  case search
  /// Points in time, lengths of time and repetitions typed by people (`When`, `Recurrence`).
  case when
  /// The sales-process file (`FunnelConfigFile`, TOML).
  case toml
  /// EnterpriseData XML (`EnterpriseDataReader`).
  case xml
  /// iCalendar (`ICalendar.parse`), text escaping.
  case ical
  /// The small typed values: amounts, currencies, rates, quantities, VAT, segment conditions,
  /// completeness fields, entry actions, contract kinds, bank dates, `--map`, and the text
  /// normalizers (idempotence).
  case values
  /// E-mail messages (`MIMEParser`, RFC 5322/MIME), headers and addresses.
  case mail
}

/// A property that does not hold for an input: what was expected and what happened.
public struct FuzzViolation: Error, CustomStringConvertible, Sendable {
  public var target: FuzzTarget
  public var property: String
  public var detail: String

  public init(_ target: FuzzTarget, _ property: String, _ detail: String) {
    self.target = target
    self.property = property
    self.detail = detail
  }

  public var description: String { "\(target.rawValue): \(property): \(detail)" }
}

/// The properties each parser must have for ANY input, beyond not crashing (a crash or a hang
/// is caught by whoever runs `check`: libFuzzer's `-timeout`, or the test process):
/// - a failure is the parser's own error type with a non-empty message that names the line or
///   the field (never another error, never an empty text);
/// - what a writer writes, the reader reads back equal (round trip);
/// - normalizers are idempotent, and streaming in small chunks reads what one chunk reads.
/// Used by the libFuzzer binary in `Fuzz/` and by `Tests/FuzzTests` (seeded, in CI).
public enum FuzzChecks {
  /// Checks one input; throws the first property that fails.
  public static func check(_ target: FuzzTarget, _ data: Data) throws(FuzzViolation) {
    switch target {
    case .csv: try CSVChecks.check(data)
    case .vcard: try VCardChecks.check(data)
    case .bank: try BankChecks.check(data)
    case .xlsx: try XLSXChecks.check(data)
    case .search: try SearchChecks.check(data)
    case .when: try WhenChecks.check(data)
    case .toml: try TOMLChecks.check(data)
    case .xml: try XMLChecks.check(data)
    case .ical: try ICalChecks.check(data)
    case .values: try ValueChecks.check(data)
    case .mail: try MailChecks.check(data)
    }
  }

  /// The longest input worth checking (libFuzzer's `-max_len`): room for the seeds.
  public static func maxLength(_ t: FuzzTarget) -> Int {
    switch t {
    case .xml: return 20_000
    case .bank, .xlsx, .mail: return 8192
    default: return 4096
    }
  }

  /// Writes the seed corpus and the libFuzzer dictionary of `t` into `folder`
  /// (`seeds/`, `dict`, `max_len`); repository files are read relative to `root`.
  public static func export(_ t: FuzzTarget, root: URL, to folder: URL) throws {
    let seeds = folder.appendingPathComponent("seeds")
    try FileManager.default.createDirectory(at: seeds, withIntermediateDirectories: true)
    var all = FuzzSeeds.generated(t)
    for path in FuzzSeeds.files(t) {
      all.append(try Data(contentsOf: root.appendingPathComponent(path)))
    }
    for (i, d) in all.enumerated() {
      try d.write(to: seeds.appendingPathComponent("seed-\(i)"))
    }
    let dict = FuzzSeeds.dictionary(t).map { token -> String in
      var line = "\""
      for b in token.utf8 {
        if (0x20...0x7E).contains(b) && b != 0x22 && b != 0x5C {
          line.unicodeScalars.append(Unicode.Scalar(b))
        } else {
          line += String(format: "\\x%02X", b)
        }
      }
      return line + "\""
    }
    try Data((dict.joined(separator: "\n") + "\n").utf8).write(
      to: folder.appendingPathComponent("dict"))
    try Data("\(maxLength(t))\n".utf8).write(to: folder.appendingPathComponent("max_len"))
  }
}

// MARK: - Shared assertions

func expect(
  _ ok: Bool, _ target: FuzzTarget, _ property: String, _ detail: @autoclosure () -> String
) throws(FuzzViolation) {
  if !ok { throw FuzzViolation(target, property, detail()) }
}

/// A `CRMError` from a parser of typed values: `.invalid` naming `field`, with a message.
func expectInvalid(_ error: any Error, field: String, _ target: FuzzTarget, _ what: String)
  throws(FuzzViolation)
{
  if let v = error as? FuzzViolation { throw v }
  guard let e = error as? CRMError, case .invalid(let f, let problem) = e else {
    throw FuzzViolation(target, "\(what) fails with .invalid", "got \(error)")
  }
  try expect(f == field, target, "\(what) error names the field", "field «\(f)», want «\(field)»")
  try expect(
    !problem.trimmingSpaces().isEmpty, target, "\(what) error has a message", "empty problem")
}

/// Non-empty English and Russian texts.
func expectMessage(_ en: String, _ ru: String, _ target: FuzzTarget, _ what: String)
  throws(FuzzViolation)
{
  try expect(
    !en.trimmingSpaces().isEmpty && !ru.trimmingSpaces().isEmpty, target,
    "\(what) has a message in both languages", "en «\(en)», ru «\(ru)»")
}

func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

func show(_ s: String, _ limit: Int = 300) -> String {
  let d = s.debugDescription
  return d.count > limit ? String(d.prefix(limit)) + "…" : d
}

/// Runs a parser with typed throws, keeping its error type (a `do` block that also runs a
/// check would widen it to `any Error`).
func attempt<T, E: Error>(_ body: () throws(E) -> T) -> Result<T, E> {
  do {
    return .success(try body())
  } catch {
    return .failure(error)
  }
}
