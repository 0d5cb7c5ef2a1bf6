import ArgumentParser

/// How many rows a list shows when `--limit` is not given.
protocol PageSize {
  static var limit: Int { get }
}

enum Fifty: PageSize { static let limit = 50 }
enum Hundred: PageSize { static let limit = 100 }

/// `--limit N --offset M`: one page of a list.
struct Paging<Size: PageSize>: ParsableArguments {
  @Option(help: tr("At most this many.", "Не больше стольких.")) var limit = Size.limit
  @Option(help: tr("Skip this many (paging).", "Пропустить столько (постранично).")) var offset = 0

  /// Negative values are a usage error (exit 1), before the database is opened.
  func check() throws {
    guard limit >= 0, offset >= 0 else {
      throw ValidationError(
        tr(
          "--limit and --offset must not be negative",
          "--limit и --offset не могут быть отрицательными"))
    }
  }
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
