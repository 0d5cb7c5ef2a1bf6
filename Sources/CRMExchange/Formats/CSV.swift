import CRMCore
import Foundation

/// Comma-separated values as RFC 4180 has them: a header row, records ending in CRLF, fields
/// holding a comma, a quote, CR or LF quoted with their quotes doubled. UTF-8, no BOM; numbers
/// with a dot; empty fields for missing values.
public enum CSV {
  /// One field, quoted when it must be.
  public static func field(_ s: String) -> String { field(s, delimiter: ",") }

  /// One field of a file whose fields are separated by `delimiter` (`;` for Excel and 1C in a
  /// Russian locale), quoted when it holds the delimiter, a quote, CR or LF.
  public static func field(_ s: String, delimiter: Character) -> String {
    // Unicode scalars, not Characters: a quote followed by a combining mark (`"\u{301}`) is
    // one Character that is not `"`, yet its bytes hold a quote the reader sees.
    let d = delimiter.unicodeScalars
    guard
      s.unicodeScalars.contains(where: {
        $0 == "\"" || $0 == "\r" || $0 == "\n" || d.contains($0)
      })
    else { return s }
    var out = String.UnicodeScalarView()
    out.append("\"")
    for u in s.unicodeScalars {
      if u == "\"" { out.append("\"") }
      out.append(u)
    }
    out.append("\"")
    return String(out)
  }

  /// The header and the rows, each record ended by CRLF.
  public static func text(header: [String], rows: [[String]]) -> String {
    text(header: header, rows: rows, delimiter: ",")
  }

  /// The header and the rows with fields separated by `delimiter`, each record ended by CRLF.
  public static func text(header: [String], rows: [[String]], delimiter: Character) -> String {
    ([header] + rows).map {
      $0.map { field($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\r\n"
    }.joined()
  }

  /// `0.6667` (4 decimals) or empty.
  public static func ratio(_ r: Double?) -> String { r.map { String(format: "%.4f", $0) } ?? "" }

  /// `2.75` (2 decimals) or empty.
  public static func days(_ d: Double?) -> String { d.map { String(format: "%.2f", $0) } ?? "" }
}

/// The funnel reports as CSV tables.
public enum ReportCSV {
  /// A row per stage of the funnel: how many reached it, conversion from the previous stage,
  /// completed stays with their mean and median days, open deals there now.
  public static func funnel(_ r: FunnelReport, language: Language) -> String {
    CSV.text(
      header: [
        "stage", "name", "reached", "conversion", "stays", "mean_days", "median_days", "open_now",
      ],
      rows: r.stages.map {
        [
          $0.stage.key, $0.stage.name(language), String($0.reached), CSV.ratio($0.conversion),
          String($0.stays), CSV.days($0.meanDays), CSV.days($0.medianDays), String($0.openNow),
        ]
      })
  }

  /// A row per group (lead source, owner, month); revenue in one column per currency met in any
  /// group (`revenue_rub`, `revenue_usd`…), roubles first.
  public static func groups(_ groups: [GroupStat]) -> String {
    var codes: [String] = []
    for g in groups {
      for m in g.revenue where !codes.contains(m.currency.code) { codes.append(m.currency.code) }
    }
    codes.sort { ($0 == "RUB" ? "" : $0) < ($1 == "RUB" ? "" : $1) }
    if codes.isEmpty { codes = ["RUB"] }
    return CSV.text(
      header: ["key", "name", "created", "won", "lost", "win_rate"]
        + codes.map { "revenue_" + $0.lowercased() },
      rows: groups.map { g in
        [g.key, g.name, String(g.created), String(g.won), String(g.lost), CSV.ratio(g.winRate)]
          + codes.map { code in
            g.revenue.first { $0.currency.code == code }?.plain
              ?? Money(minor: 0, currency: Currency.named(code) ?? .rub).plain
          }
      })
  }

  /// A row per deal (the stuck report): days in the stage and over its limit, amount plain.
  public static func deals(_ rows: [DealRow], language: Language) -> String {
    CSV.text(
      header: [
        "id", "client", "client_id", "title", "stage", "stage_name", "days_in_stage", "days_over",
        "owner", "amount", "currency",
      ],
      rows: rows.map { r in
        [
          String(r.id), r.clientName, String(r.deal.clientId), r.deal.title, r.stage.key,
          r.stage.name(language), String(r.daysInStage), r.daysOver.map(String.init) ?? "",
          r.ownerLogin, r.deal.money.plain, r.deal.currency,
        ]
      })
  }
}
