import ArgumentParser
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

/// What every report looks at and how it is written out.
struct ReportOptions: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: tr(
      "From this day (included): 01.11.2026, 2026-11-01, -30d.",
      "С этого дня (включительно): 01.11.2026, 2026-11-01, -30d."))
  var from: String?
  @Option(
    parsing: .unconditional,
    help: tr(
      "To this day (included).",
      "По этот день (включительно).")) var to: String?
  @Option(
    help: tr(
      "Only this owner's deals (login).",
      "Только сделки этого ответственного (логин).")) var owner: String?
  @Option(
    help: tr(
      "Only deals from this lead source (key or name).",
      "Только сделки из этого источника лидов (ключ или название).")) var source: String?
  @Option(
    help: tr(
      "Pipeline key (default: the first).",
      "Ключ воронки (по умолчанию: первая).")) var pipeline: String?
  @Flag(
    help: tr(
      "JSON instead of a table.",
      "JSON вместо таблицы.")) var json = false
  @Flag(
    help: tr(
      "CSV (RFC 4180, UTF-8, a header row) instead of a table.",
      "CSV (RFC 4180, UTF-8, строка заголовка) вместо таблицы.")) var csv = false

  func validate() throws {
    if json && csv {
      throw ValidationError(
        tr("--json and --csv exclude each other", "--json и --csv несовместимы"))
    }
  }
}

/// The options read against the database: the period, the owner, the source key, the pipeline.
struct ReportScope {
  var query: FunnelReportQuery
  var pipeline: Pipeline
  var ownerLogin: String?
  var sourceName: String?

  init(_ o: ReportOptions, _ session: Session) throws {
    let g = session.global
    let database = session.database
    let input = DealInput(session)
    let times = try Times(g, database)
    let from = try o.from.map(times.from)
    let to = try o.to.map(times.to)
    if let from, let to, to <= from {
      throw Failure(
        message: g.language.pick(
          "--to: the period ends before it starts (--from)",
          "--to: период заканчивается раньше, чем начинается (--from)"), code: 1)
    }
    pipeline = try input.pipeline(o.pipeline)
    let ownerId = try o.owner.map { try g.user(database, login: $0, option: "--owner").id }
    ownerLogin = o.owner
    let source = try o.source.map { try input.source($0) }
    if let source {
      sourceName = try session.context.pipelines.leadSources()
        .first { $0.key == source }?.name(g.language)
    }
    query = FunnelReportQuery(
      pipeline: pipeline.key, from: from, to: to, ownerId: ownerId, source: source)
  }

  var filter: DealFilter {
    DealFilter(ownerId: query.ownerId, source: query.source, from: query.from, to: query.to)
  }

  /// `Pipeline «Sales», 2026-11-01 – 2026-11-30, anna, Website`.
  func title(_ g: Global) -> String {
    let l = g.language
    let f = g.formats
    var parts = [l.pick("Pipeline", "Воронка") + " «\(pipeline.name(l))»"]
    let last = query.to.map { $0.addingTimeInterval(-1) }
    switch (query.from, last) {
    case (let a?, let b?): parts.append("\(f.date(a)) – \(f.date(b))")
    case (let a?, nil): parts.append(l.pick("from ", "с ") + f.date(a))
    case (nil, let b?): parts.append(l.pick("to ", "по ") + f.date(b))
    case (nil, nil): break
    }
    if let ownerLogin { parts.append(ownerLogin) }
    if let sourceName { parts.append(sourceName) }
    return parts.joined(separator: ", ")
  }
}

/// Amounts of several currencies in one cell: `150 000 ₽, 1 000 $`; `—` for none.
func revenueText(_ list: [Money], _ l: Language, width: Int? = nil) -> String {
  if list.isEmpty { return "—" }
  let full = list.map { $0.formatted(l, whole: width != nil) }.joined(separator: ", ")
  guard let width, TextWidth.of(full) > width else { return full }
  return list.map { $0.compact(l) }.joined(separator: ", ")
}

/// A table of groups (owners, lead sources, months): created, won, lost, win rate, revenue.
func groupTable(_ groups: [GroupStat], title: String, _ l: Language) -> [String] {
  let cols = [
    Col(width: 20), Col(width: 7, right: true), Col(width: 7, right: true),
    Col(width: 7, right: true), Col(width: 8, right: true), Col(width: 24),
  ]
  var lines = [
    tableLine(
      [
        title, l.pick("Created", "Создано"), l.pick("Won", "Выигр."), l.pick("Lost", "Проигр."),
        l.pick("Win rate", "Доля"), l.pick("Revenue", "Выручка"),
      ], cols)
  ]
  for g in groups {
    lines.append(
      tableLine(
        [
          g.name, String(g.created), String(g.won), String(g.lost),
          DealText.percent(g.winRate, language: l), revenueText(g.revenue, l, width: 24),
        ], cols))
  }
  return lines
}

// MARK: crm report

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: tr(
      "Reports: funnel, lead sources, stuck deals, reconciliation, completeness, "
        + "segments, ABC, XYZ, activity.",
      "Отчёты: воронка, источники лидов, застрявшие сделки, сверка, заполненность, "
        + "сегменты, ABC, XYZ, активность."),
    subcommands: [
      Funnel.self, Sources.self, Stuck.self, Reconcile.self, CompletenessReport.self,
      Segments.self, ABC.self, XYZ.self, Activity.self,
    ])

  struct Funnel: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "funnel",
      abstract: tr(
        "Conversion stage to stage, days per stage, win rate and revenue; by owner and "
          + "month.",
        "Конверсия с этапа на этап, дни на этапе, доля выигранных и выручка; по ответственным и "
          + "месяцам."),
      discussion: tr(
        """
        Reached: deals created in the period whose furthest stage is this one or later. \
        Conversion: reached over the previous stage's reached. Days: stays that began in the \
        period and have ended (mean, median). Won, lost, win rate, revenue: deals closed in \
        the period.
        """,
        """
        Дошли: сделки, созданные в периоде, чей самый дальний этап — этот или дальше. \
        Конверсия: дошедшие к дошедшим до предыдущего этапа. Дни: пребывания, начавшиеся в \
        периоде и закончившиеся (среднее, медиана). Выиграно, проиграно, доля выигранных, выручка: \
        сделки, закрытые в периоде.
        """))
    @OptionGroup var global: Global
    @OptionGroup var options: ReportOptions

    func run(_ session: Session) throws {
      let (scope, report) = try options.funnel(session)
      let l = global.language
      if options.json {
        printJSON(DealJSON.funnel(report, language: l, owner: scope.ownerLogin))
        return
      }
      if options.csv {
        print(ReportCSV.funnel(report, language: l), terminator: "")
        return
      }
      let cols = [
        Col(width: 22), Col(width: 7, right: true), Col(width: 8, right: true),
        Col(width: 8, right: true), Col(width: 8, right: true), Col(width: 7, right: true),
      ]
      var lines = [scope.title(global), ""]
      lines.append(
        tableLine(
          [
            l.pick("Stage", "Этап"), l.pick("Reached", "Дошли"), l.pick("Conv.", "Конв."),
            l.pick("Mean d", "Ср. дн."), l.pick("Median", "Медиана"), l.pick("Open", "Сейчас"),
          ], cols))
      for s in report.stages {
        lines.append(
          tableLine(
            [
              s.stage.name(l), String(s.reached), DealText.percent(s.conversion, language: l),
              DealText.number(s.meanDays, language: l),
              DealText.number(s.medianDays, language: l), String(s.openNow),
            ], cols))
      }
      let t = report.total
      lines.append("")
      lines.append(
        l.pick("Created: ", "Создано: ") + "\(t.created); "
          + l.pick("overall conversion (won / created): ", "общая конверсия (выиграно / создано): ")
          + DealText.percent(report.overallConversion, language: l))
      lines.append(
        l.pick("Closed in the period: won ", "Закрыто за период: выиграно ") + "\(t.won), "
          + l.pick("lost ", "проиграно ") + "\(t.lost), " + l.pick("win rate ", "доля выигрышей ")
          + DealText.percent(t.winRate, language: l))
      lines.append(l.pick("Revenue: ", "Выручка: ") + revenueText(t.revenue, l))
      lines.append("")
      lines += groupTable(report.byOwner, title: l.pick("Owner", "Ответственный"), l)
      // Months before the first one with any deal say nothing.
      let months = report.byMonth.drop { $0.created + $0.won + $0.lost == 0 }
      if !months.isEmpty {
        lines.append("")
        lines += groupTable(Array(months), title: l.pick("Month", "Месяц"), l)
      }
      print(lines.joined(separator: "\n"))
    }
  }

  struct Sources: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "sources",
      abstract: tr(
        "Deals by lead source: created, won, lost, win rate, revenue.",
        "Сделки по источникам лидов: создано, выиграно, проиграно, доля выигранных, выручка."))
    @OptionGroup var global: Global
    @OptionGroup var options: ReportOptions

    func run(_ session: Session) throws {
      let (scope, report) = try options.funnel(session)
      let l = global.language
      if options.json {
        printJSON(report.bySource.map(DealJSON.group))
        return
      }
      if options.csv {
        print(ReportCSV.groups(report.bySource), terminator: "")
        return
      }
      let lines =
        [scope.title(global), ""]
        + groupTable(report.bySource, title: l.pick("Source", "Источник"), l)
      print(lines.joined(separator: "\n"))
    }
  }

  struct Stuck: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "stuck",
      abstract: tr(
        "Open deals longer in their stage than its limit, most days over first.",
        "Открытые сделки, стоящие на этапе дольше его предела, сначала самые задержанные."),
      discussion: tr(
        "--from and --to pick deals created in that period.",
        "--from и --to отбирают сделки, созданные в этом периоде."))
    @OptionGroup var global: Global
    @OptionGroup var options: ReportOptions

    func run(_ session: Session) throws {
      let scope = try ReportScope(options, session)
      let l = global.language
      let rows = try session.context.deals.stuck(
        scope.filter, pipelineId: options.pipeline == nil ? nil : scope.pipeline.id,
        limit: everyRow)
      if options.json {
        printJSON(rows.map { DealJSON.object($0, language: l) })
        return
      }
      if options.csv {
        print(ReportCSV.deals(rows, language: l), terminator: "")
        return
      }
      if rows.isEmpty {
        print(l.pick("No stuck deals.", "Зависших сделок нет."))
        return
      }
      let cols = [
        Col(width: 5, right: true), Col(width: 14), Col(width: 13), Col(width: 12),
        Col(width: 4, right: true), Col(width: 5, right: true), Col(width: 8),
        Col(width: 11, right: true),
      ]
      var lines = [
        tableLine(
          [
            "№", l.pick("Deal", "Сделка"), l.pick("Client", "Клиент"), l.pick("Stage", "Этап"),
            l.pick("Days", "Дн."), l.pick("Over", "Сверх"), l.pick("Owner", "Отв."),
            l.pick("Amount", "Сумма"),
          ], cols)
      ]
      for r in rows {
        lines.append(
          tableLine(
            [
              String(r.id), r.deal.title, r.clientName, r.stage.name(l), String(r.daysInStage),
              r.daysOver.map { "+\($0)" } ?? "", r.ownerLogin,
              amountCell(r.deal.money, width: 11, l),
            ], cols))
      }
      print(lines.joined(separator: "\n"))
    }
  }
}

extension ReportOptions {
  /// The deals these options select (period, owner…) and the funnel report over them.
  func funnel(_ session: Session) throws -> (ReportScope, FunnelReport) {
    let scope = try ReportScope(self, session)
    return (scope, try session.context.funnel.funnel(scope.query))
  }
}
