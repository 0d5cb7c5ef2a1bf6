import ArgumentParser
import CRMCore
import Foundation

/// How many rows a list shows as text when `--limit` is not given.
protocol PageSize {
  static var limit: Int { get }
}

enum Fifty: PageSize { static let limit = 50 }
enum Hundred: PageSize { static let limit = 100 }

/// As many rows as SQL has: what "no limit" asks for (far beyond any table, and safe to add to).
let everyRow = 1 << 40

/// `--limit N --offset M`: one page of a list. Without `--limit`, text shows the first page
/// (50 or 100 rows) and says on standard error when there are more; `--json`/`--csv` return
/// every row.
struct Paging<Size: PageSize>: ParsableArguments {
  @Option(
    help: tr(
      "At most this many rows (default: every row with --json/--csv; the first 50 or 100 as text).",
      "Не больше стольких строк (по умолчанию все с --json/--csv; первые 50 или 100 текстом)."))
  var limit: Int?
  @Option(help: tr("Skip this many (paging).", "Пропустить столько (постранично).")) var offset = 0

  /// Negative values are a usage error (exit 1), before the database is opened.
  func check() throws {
    guard (limit ?? 0) >= 0, offset >= 0 else {
      throw ValidationError(
        tr(
          "--limit and --offset must not be negative",
          "--limit и --offset не могут быть отрицательными"))
    }
  }

  /// The LIMIT to ask SQL for: `--limit` when given; every row for machine output; else one
  /// more than a text page, to tell whether the list goes on.
  func sqlLimit(machine: Bool) -> Int {
    listLimit(limit, text: Size.limit, machine: machine)
  }

  /// The rows to print: a text page without `--limit` is cut to its size, and a line on
  /// standard error says how to see the rest, so a list never stops without a word.
  func shown<T>(_ rows: [T], machine: Bool, language l: Language) -> [T] {
    listShown(rows, limit: limit, text: Size.limit, offset: offset, machine: machine, language: l)
  }
}

/// The LIMIT a list asks SQL for: `limit` (`--limit`) when given; every row for machine output
/// (`--json`, `--csv`); else one more than the `text` page, to tell whether the list goes on.
func listLimit(_ limit: Int?, text: Int, machine: Bool) -> Int {
  if let limit { return max(0, limit) }
  return machine ? everyRow : text + 1
}

/// The rows a list prints: without `--limit`, text is cut to its `text` page and a line on
/// standard error says there are more and how to see them; machine output is never cut.
func listShown<T>(
  _ rows: [T], limit: Int?, text: Int, offset: Int = 0, machine: Bool, language l: Language,
  paged: Bool = true
) -> [T] {
  guard limit == nil, !machine, rows.count > text else { return rows }
  let next = offset + text
  let note =
    paged
    ? l.pick(
      "… rows \(offset + 1)–\(next) shown, there are more: --offset \(next) for the next page, "
        + "--limit N for more at once, --json for all",
      "… показаны строки \(offset + 1)–\(next), есть ещё: --offset \(next) — следующая "
        + "страница, --limit N — больше сразу, --json — все")
    : l.pick(
      "… the first \(text) shown, there are more: --limit N for more, --json for all",
      "… показаны первые \(text), есть ещё: --limit N — больше, --json — все")
  FileHandle.standardError.write(Data((note + "\n").utf8))
  return Array(rows.prefix(text))
}

/// `--json`: the answer as JSON instead of text (tables, lines).
struct JSONOutput: ParsableArguments {
  @Flag(help: tr("JSON instead of text.", "JSON вместо текста.")) var json = false
}

extension JSONOutput {
  /// Prints `object` as JSON with `--json`, else `text`; only the one printed is computed.
  func show(_ object: @autoclosure () -> Any, else text: @autoclosure () -> String) {
    if json { printJSON(object()) } else { print(text()) }
  }
}
