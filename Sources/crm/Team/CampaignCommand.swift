import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation

// MARK: crm campaign

struct CampaignCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "campaign",
    abstract: tr(
      "Campaigns: a filter's clients get one planned contact each; results.",
      "Кампании: каждому клиенту фильтра — один запланированный контакт; итоги."),
    subcommands: [Add.self, List.self, Report.self])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Create a campaign and plan its contacts (supervisors and admins).",
        "Создать кампанию и запланировать её контакты (руководители и администраторы)."),
      discussion: tr(
        """
        Every live client the target selects gets one planned contact of the channel with its \
        owner, spread over the working days (Mon–Fri) of the period from day_start to day_end. \
        Clients without an owner are given one by the lead rule first, or skipped when \
        lead_rule is off.
        """,
        """
        Каждому действующему клиенту из цели — один запланированный контакт этого канала у его \
        ответственного, распределённые по рабочим дням (пн–пт) периода с day_start до 18:00. \
        Клиентам без ответственного он сначала назначается по правилу лидов; при выключенном \
        lead_rule они пропускаются.
        """))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The campaign's name.",
        "Название кампании.")) var name: String
    @Option(
      help: tr(
        "call, meeting, letter, email or other.",
        "call, meeting, letter, email или other (звонок, встреча, письмо, e-mail, другое)."))
    var channel: String
    @Option(
      help: tr(
        "The first day.",
        "Первый день.")) var from: String
    @Option(
      help: tr(
        "The last day (included).",
        "Последний день (включительно).")) var to: String
    @Option(
      help: tr(
        "A saved filter's name.",
        "Имя сохранённого фильтра.")) var filter: String?
    @Option(
      help: tr(
        "Clients of this segment.",
        "Клиенты этого сегмента.")) var segment: String?
    @Option(
      help: tr(
        "Clients with this tag.",
        "Клиенты с этим тегом.")) var tag: String?
    @Option(
      help: tr(
        "Clients this search finds.",
        "Клиенты, которых находит этот поиск.")) var search: String?
    @Option(
      help: tr(
        "The contacts' subject (default: the name).",
        "Тема контактов (по умолчанию: название).")) var subject = ""
    @Flag(
      help: tr(
        "Only count; change nothing.",
        "Только посчитать, ничего не менять.")) var dryRun = false
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let l = global.language
      let database = session.database
      let kind = try parseKind(channel, global, option: "--channel")
      let times = try Times(global, database)
      let start = try times.from(from)
      let end = try times.to(to)
      let target: NewCampaign.Target
      if let filter {
        if segment != nil || tag != nil || search != nil {
          throw Failure(
            message: l.pick(
              "--filter cannot be combined with --segment, --tag or --search",
              "--filter нельзя сочетать с --segment, --tag или --search"), code: 1)
        }
        target = .saved(filter)
      } else {
        target = .inline(ClientFilter(search: search ?? "", segment: segment, tag: tag))
      }
      let service = session.context.campaigns
      let plan = try service.create(
        NewCampaign(
          name: name, channel: kind, from: start, to: end, target: target, subject: subject),
        dryRun: dryRun)
      if output.json {
        printJSON(
          [
            "id": plan.campaignId.map { $0 as Any } ?? NSNull(), "name": name,
            "channel": kind.rawValue, "selected": plan.selected, "planned": plan.planned,
            "distributed": plan.distributed, "skipped_unowned": plan.skippedUnowned,
            "skipped_inactive": plan.skippedInactive, "dry_run": dryRun,
            "first_due": isoDate(plan.firstDue), "last_due": isoDate(plan.lastDue),
            "users": plan.perUser.sorted { $0.key < $1.key }.map {
              ["user": $0.key, "planned": $0.value] as [String: Any]
            },
          ] as [String: Any])
        return
      }
      let head =
        dryRun
        ? l.pick("Campaign «\(name)» (dry run)", "Кампания «\(name)» (проба)")
        : l.pick(
          "Campaign №\(plan.campaignId ?? 0) «\(name)»",
          "Кампания №\(plan.campaignId ?? 0) «\(name)»")
      print(
        head
          + l.pick(
            ": selected \(plan.selected), planned \(plan.planned)",
            ": выбрано клиентов \(plan.selected), запланировано \(plan.planned)"))
      if let a = plan.firstDue, let b = plan.lastDue {
        print(
          l.pick(
            "  from \(global.formats.dateTime(a)) to \(global.formats.dateTime(b))",
            "  с \(global.formats.dateTime(a)) по \(global.formats.dateTime(b))"))
      }
      for (login, n) in plan.perUser.sorted(by: { $0.key < $1.key }) {
        print("  " + tableLine([login, String(n)], [Col(width: 20), Col(width: 8, right: true)]))
      }
      if plan.distributed > 0 {
        print(
          l.pick(
            "  \(plan.distributed) without an owner were given one by the lead rule",
            "  \(plan.distributed) без владельца розданы по правилу распределения"))
      }
      if plan.skippedUnowned > 0 {
        print(
          l.pick(
            "  skipped \(plan.skippedUnowned) without an owner (lead_rule is off)",
            "  пропущено \(plan.skippedUnowned) без владельца (lead_rule выключено)"))
      }
      if plan.skippedInactive > 0 {
        print(
          l.pick(
            "  skipped \(plan.skippedInactive) whose owner is deactivated",
            "  пропущено \(plan.skippedInactive) с отключённым владельцем"))
      }
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "Campaigns with their results, newest first.",
        "Кампании с итогами, сначала новые."))
    @OptionGroup var global: Global
    @OptionGroup var output: JSONOutput
    @Option(help: "At most this many (default: 100 as text, every campaign with --json).")
    var limit: Int?

    func run(_ session: Session) throws {
      let l = global.language
      let service = session.context.campaigns
      let rows = listShown(
        try service.list(limit: listLimit(limit, text: 100, machine: output.json)),
        limit: limit, text: 100, machine: output.json, language: l, paged: false)
      if output.json {
        printJSON(rows.map(campaignJSON))
        return
      }
      if rows.isEmpty {
        print(l.pick("No campaigns.", "Кампаний нет."))
        return
      }
      printCampaignTable(rows, global)
    }
  }

  struct Report: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: tr(
        "A campaign's results (all campaigns without ID).",
        "Итоги кампании (без номера — всех кампаний)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The campaign's number.",
        "Номер кампании.")) var id: Int64?
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let l = global.language
      let service = session.context.campaigns
      guard let id else {
        let rows = listShown(
          try service.list(limit: listLimit(nil, text: 100, machine: output.json)), limit: nil,
          text: 100, machine: output.json, language: l, paged: false)
        if output.json {
          printJSON(rows.map(campaignJSON))
        } else if rows.isEmpty {
          print(l.pick("No campaigns.", "Кампаний нет."))
        } else {
          printCampaignTable(rows, global)
        }
        return
      }
      guard let r = try service.result(id) else {
        throw fail(.notFound(what: l.pick("campaign", "кампания"), id: id), global)
      }
      if output.json {
        printJSON(campaignJSON(r))
        return
      }
      let f = global.formats
      print(
        "№\(r.id) «\(r.name)» — \(r.channel.name(l)), \(f.date(r.startsAt))–\(f.date(r.endsAt.addingTimeInterval(-1)))"
      )
      print(l.pick("  target:      ", "  цель:         ") + r.filter)
      let lines: [(String, String, Int)] = [
        ("targets", "клиентов", r.targets), ("planned", "запланировано", r.planned),
        ("reached", "дозвонились", r.reached), ("no answer", "не ответили", r.noAnswer),
        ("interested", "интерес", r.interested), ("deals", "сделок", r.deals),
        ("won deals", "выиграно", r.wonDeals),
      ]
      for (en, ru, n) in lines {
        print(
          "  "
            + tableLine([l.pick(en, ru), String(n)], [Col(width: 14), Col(width: 8, right: true)]))
      }
      let revenue = r.revenue.sorted {
        ($0.key == "RUB" ? "" : $0.key) < ($1.key == "RUB" ? "" : $1.key)
      }
      let text =
        revenue.isEmpty
        ? "0" : revenue.map { moneyText($0.value, $0.key, l) }.joined(separator: ", ")
      print(
        "  "
          + tableLine([l.pick("revenue won", "выручка"), text], [Col(width: 14), Col(width: 40)]))
    }
  }
}

func campaignJSON(_ r: CampaignResult) -> [String: Any] {
  [
    "id": r.id, "name": r.name, "channel": r.channel.rawValue, "from": isoDate(r.startsAt),
    "to": isoDate(r.endsAt), "target": r.filter, "by": r.createdBy, "targets": r.targets,
    "planned": r.planned, "reached": r.reached, "no_answer": r.noAnswer,
    "interested": r.interested, "deals": r.deals, "won_deals": r.wonDeals,
    "revenue_won": r.revenue.sorted { $0.key < $1.key }.map {
      ["currency": $0.key, "minor": $0.value] as [String: Any]
    },
  ]
}

func printCampaignTable(_ rows: [CampaignResult], _ g: Global) {
  let l = g.language
  let cols = [
    Col(width: 4), Col(width: 20), Col(width: 8), Col(width: 7, right: true),
    Col(width: 7, right: true), Col(width: 8, right: true), Col(width: 6, right: true),
    Col(width: 14, right: true),
  ]
  print(
    tableLine(
      [
        "№", l.pick("Campaign", "Кампания"), l.pick("Channel", "Канал"),
        l.pick("Targets", "Клиенты"), l.pick("Reached", "Связь"), l.pick("Interest", "Интерес"),
        l.pick("Won", "Выигр."), l.pick("Revenue", "Выручка"),
      ], cols))
  for r in rows {
    let rub = r.revenue["RUB"] ?? 0
    var revenue = moneyText(rub, "RUB", l)
    if r.revenue.keys.contains(where: { $0 != "RUB" }) { revenue += "+" }
    print(
      tableLine(
        [
          "\(r.id)", r.name, r.channel.name(l), "\(r.targets)", "\(r.reached)",
          "\(r.interested)", "\(r.wonDeals)", revenue,
        ], cols))
  }
}
