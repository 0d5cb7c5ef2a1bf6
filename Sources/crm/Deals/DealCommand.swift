import ArgumentParser
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// MARK: Shared helpers

extension Global {
  /// An existing user named by an option (`--owner`), never created; exit 1 naming the option.
  func user(_ database: CRMDatabase, login: String, option: String) throws -> User {
    do {
      return try existingUser(database, login)
    } catch let f as Failure {
      throw Failure(message: "\(option): \(f.message)", code: f.code)
    }
  }
}

extension Session {
  /// The deal with this id, or exit 1 naming it.
  func deal(_ id: Int64) throws -> DealRow {
    guard let r = try context.deals.deal(id) else {
      throw fail(.notFound(what: language.pick("deal", "сделка"), id: id), global)
    }
    return r
  }
}

/// Reads the deal fields typed on the command line; every error names the option.
struct DealInput {
  let session: Session

  init(_ session: Session) { self.session = session }

  var global: Global { session.global }
  var database: CRMDatabase { session.database }

  var l: Language { global.language }

  func failure(_ option: String, _ en: String, _ ru: String) -> Failure {
    Failure(message: "\(option): " + l.pick(en, ru), code: 1)
  }

  /// An ISO 4217 code this build knows.
  func currency(_ text: String) throws -> Currency {
    do { return try Currency.parse(text, language: l, field: "--currency") } catch {
      throw fail(error, global)
    }
  }

  /// An amount as people type it (`1000.00`, `1 000,50`, `12 500 ₽`), never negative.
  func amount(_ text: String, _ currency: Currency, option: String = "--amount") throws -> Money {
    do { return try Money.parse(text, currency: currency, language: l, field: option) } catch {
      throw fail(error, global)
    }
  }

  /// A probability 0–100 (`40`, `40%`); empty means the stage's own.
  func probability(_ text: String) throws -> Int? {
    let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
      .trimmingCharacters(in: .whitespaces)
    if t.isEmpty { return nil }
    guard let p = Int(t), (0...100).contains(p) else {
      throw failure(
        "--probability", "«\(text)»: use a whole number of percent from 0 to 100",
        "«\(text)»: укажите целое число процентов от 0 до 100")
    }
    return p
  }

  /// A day (`31.12.2026`, `2026-12-31`, `+30d`, `пятница`) as `YYYY-MM-DD` in the local zone;
  /// empty stays empty (clears the date).
  func day(_ text: String, option: String) throws -> String {
    if text.trimmingCharacters(in: .whitespaces).isEmpty { return "" }
    let times = try Times(global, database)
    let d = try times.at(text, field: option, defaultHour: 12)
    let p = times.context.calendar.dateComponents([.year, .month, .day], from: d)
    return String(format: "%04d-%02d-%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0)
  }

  /// A lead source by key or name; its key. Empty stays empty.
  func source(_ text: String, option: String = "--source") throws -> String {
    try choice(
      text, list: try session.context.pipelines.leadSources(), option)
  }

  /// A lost reason by key or name (never empty); its key.
  func lostReason(_ text: String, option: String = "--reason") throws -> String {
    try choice(
      text, list: try session.context.pipelines.lostReasons(), option,
      required: true)
  }

  func choice(_ text: String, list: [Choice], _ option: String, required: Bool = false) throws
    -> String
  {
    if !required && text.trimmingCharacters(in: .whitespaces).isEmpty { return "" }
    if let c = list.first(where: { $0.matches(text) }) { return c.key }
    let names = list.map { "\($0.key) (\($0.name(l)))" }.joined(separator: ", ")
    throw failure(
      option, "«\(text)» is not in the list; use one of: \(names)",
      "«\(text)» нет в списке; допустимые: \(names)")
  }

  /// A pipeline by key (the default one when nil).
  func pipeline(_ key: String?) throws -> Pipeline {
    try session.context.pipelines.pipeline(key)
  }

  /// A stage of `pipeline` by key or name.
  func stage(_ text: String, in p: Pipeline, option: String = "--stage") throws -> Stage {
    if let s = p.stage(text) { return s }
    let keys = p.stages.map { "\($0.key) (\($0.name(l)))" }.joined(separator: ", ")
    throw failure(
      option, "no stage «\(text)» in «\(p.key)»; stages: \(keys)",
      "нет этапа «\(text)» в воронке «\(p.key)»; этапы: \(keys)")
  }
}

/// An amount in whole units for a column: `1 000 000 ₽`, or `12,5 млн ₽` when that is too wide.
func amountCell(_ m: Money, width: Int, _ l: Language) -> String {
  let full = m.formatted(l, whole: true)
  return TextWidth.of(full) <= width ? full : m.compact(l)
}

/// What entry actions did, in words, joined for one line.
func describe(_ events: [DealEvent], _ session: Session) throws -> [String] {
  let contacts = session.context.contacts
  return try events.map { e in
    let row = try e.contactId.flatMap { id in try contacts.contact(id) }
    return DealText.event(e, contact: row, formats: session.global.formats)
  }
}

/// `Deal №5 moved to Offer sent: planned call №12 for 26.11.2026 10:00, draft offer №3`.
func moveLine(_ head: String, _ events: [DealEvent], _ session: Session) throws -> String {
  let done = try describe(events, session)
  return done.isEmpty ? head : head + ": " + done.joined(separator: ", ")
}

/// `deal won|lost|reopen ID`: the deal must exist; `move` changes its stage, and the line
/// printed (`head`, then what the stage's entry actions did) says so.
protocol DealOutcome: CRMCommand {
  var id: Int64 { get }
  func move(_ session: Session) throws -> MoveResult
  /// The start of the line, once moved.
  func head(_ result: MoveResult, _ session: Session) throws -> String
}

extension DealOutcome {
  func run(_ session: Session) throws {
    _ = try session.deal(id)
    let result = try move(session)
    print(try moveLine(head(result, session), result.events, session))
  }
}

// MARK: crm deal

struct DealCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deal",
    abstract: tr(
      "Add, show, list, move, win, lose, reopen and edit deals.",
      "Добавить, показать, перечислить, сдвинуть, выиграть, проиграть, вернуть и изменить сделки."),
    subcommands: [
      Add.self, Show.self, List.self, Move.self, Won.self, Lost.self, Reopen.self, Edit.self,
    ])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Add a deal at the pipeline's first stage (or --stage); prints its id.",
        "Добавить сделку на первый этап воронки (или --stage); выводит её номер."),
      discussion: tr(
        "What the stage's entry actions did goes to standard error.",
        "Что сделали действия при входе на этап, выводится в стандартный поток ошибок."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Client id.",
        "Номер клиента.")) var client: Int64
    @Option(
      help: tr(
        "What is being sold.",
        "Что продаётся.")) var title: String
    @Option(
      parsing: .unconditional,
      help: tr(
        "Amount: 1000.00, \"1 000,50\", \"12 500 ₽\".",
        "Сумма: 1000.00, \"1 000,50\", \"12 500 ₽\"."))
    var amount: String?
    @Option(
      help: tr(
        "ISO 4217 code.",
        "Код ISO 4217.")) var currency = "RUB"
    @Option(
      help: tr(
        "Contact person id (of this client).",
        "Номер контактного лица (этого клиента).")) var person: Int64?
    @Option(
      help: tr(
        "Lead source: key or name (crm pipeline show).",
        "Источник лида: ключ или название (crm pipeline show).")) var source: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Probability in %, instead of the stage's.",
        "Вероятность в % вместо вероятности этапа."))
    var probability: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Expected close: 31.12.2026, 2026-12-31, +30d.",
        "Ожидаемое закрытие: 31.12.2026, 2026-12-31, +30d."))
    var expectedClose: String?
    @Option(
      help: tr(
        "Owner's login (default: you).",
        "Логин ответственного (по умолчанию: вы).")) var owner: String?
    @Option(
      help: tr(
        "Pipeline key (default: the first).",
        "Ключ воронки (по умолчанию: первая).")) var pipeline: String?
    @Option(
      help: tr(
        "Stage key or name to start at (default: the first).",
        "Ключ или название начального этапа (по умолчанию: первый).")) var stage: String?
    @Option(
      help: tr(
        "Notes.",
        "Заметки.")) var notes = ""

    func run(_ session: Session) throws {
      let database = session.database
      let input = DealInput(session)
      let cur = try input.currency(currency)
      let money = try amount.map { try input.amount($0, cur) } ?? Money(minor: 0, currency: cur)
      let p = try probability.flatMap(input.probability)
      let close = try expectedClose.map { try input.day($0, option: "--expected-close") } ?? ""
      let src = try source.map { try input.source($0) } ?? ""
      let ownerId = try owner.map { try global.user(database, login: $0, option: "--owner").id }
      _ = try session.writer()
      let deals = session.context.deals
      let d = Deal(
        clientId: client, personId: person, title: title, amount: money.minor,
        currency: cur.code, probability: p, expectedClose: close, source: src,
        ownerId: ownerId ?? 0, notes: notes)
      let id = try deals.add(d, pipeline: pipeline, stage: stage)
      print(id)
      let events = try deals.history(id).last?.events ?? []
      for text in try describe(events, session) { writeError(text) }
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Show one deal with its stage history.",
        "Показать одну сделку с историей этапов."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let r = try session.deal(id)
      let service = session.context.deals
      let history = try service.history(id)
      let contacts = session.context.contacts
      var planned: [Int64: ContactRow] = [:]
      for c in history.flatMap(\.events).compactMap(\.contactId) {
        planned[c] = try contacts.contact(c)
      }
      let pipelines = session.context.pipelines
      let pipeline = try pipelines.pipelines().first {
        $0.id == r.deal.pipelineId
      }
      let l = global.language
      let f = global.formats
      func text(_ e: DealEvent) -> String {
        DealText.event(e, contact: e.contactId.flatMap { planned[$0] }, formats: f)
      }
      if output.json {
        var o = DealJSON.object(r, language: l, pipeline: pipeline?.key)
        o["history"] = history.map { h in
          DealJSON.entry(
            h, language: l,
            events: h.events.map { e in
              DealJSON.event(e, contact: e.contactId.flatMap { planned[$0] }, text: text(e))
            })
        }
        printJSON(o)
        return
      }
      let d = r.deal
      let sources = try pipelines.leadSources()
      let reasons = try pipelines.lostReasons()
      func name(_ key: String, _ list: [Choice]) -> String {
        key.isEmpty ? "" : list.first { $0.key == key }?.name(l) ?? key
      }
      var stage = "\(r.stage.name(l)) (\(r.stage.key))"
      if d.status == .open {
        stage += ", " + DealText.days(r.daysInStage, language: l)
        if let over = r.daysOver {
          stage += " — " + DealText.stuck(daysOver: over, limit: r.stage.stuckDays, language: l)
        }
      }
      let probability =
        DealText.probability(r.probability, language: l)
        + (d.probability == nil ? l.pick(" (the stage's)", " (по этапу)") : "")
      let pairs: [(String, String)] = [
        ("client", "\(r.clientName) (№\(d.clientId))"),
        ("person", r.personName.map { "\($0) (№\(d.personId ?? 0))" } ?? ""),
        ("pipeline", pipeline.map { $0.name(l) } ?? ""), ("stage", stage),
        ("status", d.status.name(l)), ("amount", d.money.formatted(l)),
        ("probability", probability),
        ("expected_close", DealText.day(d.expectedClose, language: l)),
        ("source", name(d.source, sources)), ("owner", r.ownerLogin),
        ("lost_reason", name(d.lostReason, reasons)), ("notes", d.notes),
      ]
      var lines = [l.pick("Deal №\(id): \(d.title)", "Сделка №\(id): \(d.title)")]
      for (k, v) in pairs where !v.isEmpty { lines.append("\(service.fieldName(k)): \(v)") }
      let times: [(String, String, Date?)] = [
        ("Created", "Создана", d.createdAt), ("Changed", "Изменена", d.updatedAt),
        ("Closed", "Закрыта", d.closedAt),
      ]
      for (en, ru, at) in times {
        if let at { lines.append(l.pick(en, ru) + ": " + f.dateTime(at)) }
      }
      lines.append("")
      lines.append(l.pick("Stage history:", "История этапов:"))
      for h in history {
        let from = h.from.map { $0.name(l) + " → " } ?? "→ "
        lines.append("  \(f.dateTime(h.at))  \(from)\(h.to.name(l))  (\(h.userLogin ?? "?"))")
        for e in h.events { lines.append("      " + text(e)) }
      }
      print(lines.joined(separator: "\n"))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "List deals, newest first.",
        "Список сделок, сначала новые."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "open, won or lost.",
        "open, won или lost (открыта, выиграна, проиграна).")) var status: String?
    @Option(
      help: tr(
        "Stage key or name (in --pipeline, or the default one).",
        "Ключ или название этапа (в --pipeline или в воронке по умолчанию).")) var stage: String?
    @Option(
      help: tr(
        "Pipeline key.",
        "Ключ воронки.")) var pipeline: String?
    @Option(
      help: tr(
        "Owner's login.",
        "Логин ответственного.")) var owner: String?
    @Flag(
      help: tr(
        "Only your deals.",
        "Только ваши сделки.")) var mine = false
    @Option(
      help: tr(
        "Only this client's.",
        "Только этого клиента.")) var client: Int64?
    @Option(
      help: tr(
        "Lead source: key or name.",
        "Источник лида: ключ или название.")) var source: String?
    @OptionGroup var page: Paging<Fifty>
    @OptionGroup var output: JSONOutput

    func check() throws {
      try page.check()
      let l = global.language
      if mine && owner != nil {
        throw Failure(
          message: l.pick(
            "--mine and --owner exclude each other; pick one",
            "--mine и --owner нельзя указать вместе; выберите одно"), code: 1)
      }
      if let status {
        guard DealStatus(rawValue: status.lowercased()) != nil else {
          throw Failure(
            message: l.pick(
              "--status: use one of open, won, lost (not «\(status)»)",
              "--status: укажите open, won или lost (а не «\(status)»)"), code: 1)
        }
      }
    }

    func run(_ session: Session) throws {
      let l = global.language
      let st = status.flatMap { DealStatus(rawValue: $0.lowercased()) }
      let database = session.database
      let input = DealInput(session)
      var filter = DealFilter(clientId: client)
      if let owner {
        filter.ownerId = try global.user(database, login: owner, option: "--owner").id
      }
      if mine { filter.ownerId = try global.existingUser(database).id }
      if let source { filter.source = try input.source(source) }
      var stageId: Int64?
      var pipelineId: Int64?
      if pipeline != nil || stage != nil {
        let p = try input.pipeline(pipeline)
        if pipeline != nil { pipelineId = p.id }
        stageId = try stage.map { try input.stage($0, in: p).id }
      }
      let rows = page.shown(
        try session.context.deals.list(
          filter, status: st, pipelineId: pipelineId, stageId: stageId,
          limit: page.sqlLimit(machine: output.json), offset: page.offset),
        machine: output.json, language: l)
      if output.json {
        let keys = Dictionary(
          uniqueKeysWithValues: try session.context.pipelines.pipelines()
            .map { ($0.id, $0.key) })
        printJSON(rows.map { DealJSON.object($0, language: l, pipeline: keys[$0.deal.pipelineId]) })
        return
      }
      if rows.isEmpty {
        print(l.pick("No deals.", "Сделок нет."))
        return
      }
      print(dealTable(rows, l))
    }
  }

  /// Columns of `crm deal list`: 79 wide in all.
  static let columns = [
    Col(width: 5, right: true), Col(width: 16), Col(width: 14), Col(width: 15),
    Col(width: 11, right: true), Col(width: 4, right: true), Col(width: 8),
  ]

  static func dealTable(_ rows: [DealRow], _ l: Language) -> String {
    var lines = [
      tableLine(
        [
          "№", l.pick("Deal", "Сделка"), l.pick("Client", "Клиент"), l.pick("Stage", "Этап"),
          l.pick("Amount", "Сумма"), l.pick("Days", "Дн."), l.pick("Owner", "Отв."),
        ], columns)
    ]
    for r in rows {
      let days = r.deal.status == .open ? "\(r.daysInStage)" + (r.daysOver == nil ? "" : "!") : ""
      lines.append(
        tableLine(
          [
            String(r.id), r.deal.title, r.clientName, r.stage.name(l),
            amountCell(r.deal.money, width: 11, l), days, r.ownerLogin,
          ], columns))
    }
    return lines.joined(separator: "\n")
  }

  struct Move: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "move",
      abstract: tr(
        "Move an open deal to a stage (key or name); says what the stage's actions did.",
        "Перенести открытую сделку на этап (ключ или название); говорит, что сделали действия этапа."
      ))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @Option(
      help: tr(
        "Stage key or name: offer, \"КП отправлено\"…",
        "Ключ или название этапа: offer, \"КП отправлено\"…")) var to: String
    @Option(
      parsing: .unconditional,
      help: tr(
        "Set the amount (in the deal's currency) on the way.",
        "Заодно задать сумму (в валюте сделки)."))
    var amount: String?
    @Option(
      help: tr(
        "Lost reason, when moving to the lost stage.",
        "Причина проигрыша при переносе на этап проигрыша.")) var reason: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Set the expected close on the way.",
        "Заодно задать ожидаемое закрытие.")) var expectedClose: String?

    func run(_ session: Session) throws {
      let input = DealInput(session)
      let before = try session.deal(id)
      let money = try amount.map { try input.amount($0, before.deal.money.currency) }
      let close = try expectedClose.map { try input.day($0, option: "--expected-close") }
      let why = try reason.map { try input.lostReason($0) }
      let result = try session.context.deals.move(
        id, to: to, extras: MoveExtras(amount: money, lostReason: why, expectedClose: close))
      let l = global.language
      print(
        try moveLine(
          l.pick(
            "Deal №\(id) moved to \(result.stage.name(l))",
            "Сделка №\(id) перенесена на этап «\(result.stage.name(l))»"), result.events,
          session))
    }
  }

  struct Won: DealOutcome {
    static let configuration = CommandConfiguration(
      commandName: "won",
      abstract: tr(
        "Mark an open deal won.",
        "Отметить открытую сделку выигранной."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64

    func move(_ session: Session) throws -> MoveResult { try session.context.deals.won(id) }

    func head(_ result: MoveResult, _ session: Session) throws -> String {
      let r = try session.deal(id)
      let l = global.language
      let amount = r.deal.amount > 0 ? ": " + r.deal.money.formatted(l) : ""
      return l.pick("Deal №\(id) won\(amount)", "Сделка №\(id) выиграна\(amount)")
    }
  }

  struct Lost: DealOutcome {
    static let configuration = CommandConfiguration(
      commandName: "lost",
      abstract: tr(
        "Mark an open deal lost, with a reason from the list (crm pipeline show).",
        "Отметить открытую сделку проигранной, с причиной из списка (crm pipeline show)."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @Option(
      help: tr(
        "Lost reason: key or name.",
        "Причина проигрыша: ключ или название.")) var reason: String

    func move(_ session: Session) throws -> MoveResult {
      try session.context.deals.lost(id, reason: DealInput(session).lostReason(reason))
    }

    func head(_ result: MoveResult, _ session: Session) throws -> String {
      let l = global.language
      let key = try DealInput(session).lostReason(reason)
      let name = try session.context.pipelines.lostReasons().first { $0.key == key }?.name(l) ?? key
      return l.pick("Deal №\(id) lost: \(name)", "Сделка №\(id) проиграна: \(name)")
    }
  }

  struct Reopen: DealOutcome {
    static let configuration = CommandConfiguration(
      commandName: "reopen",
      abstract: tr(
        "Open a won or lost deal again at the last open stage it was in.",
        "Снова открыть выигранную или проигранную сделку на последнем открытом этапе, где она была."
      ))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64

    func move(_ session: Session) throws -> MoveResult { try session.context.deals.reopen(id) }

    func head(_ result: MoveResult, _ session: Session) throws -> String {
      let l = global.language
      return l.pick(
        "Deal №\(id) reopened at \(result.stage.name(l))",
        "Сделка №\(id) снова открыта на этапе «\(result.stage.name(l))»")
    }
  }

  struct Edit: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: tr(
        "Change a deal's fields (its stage changes with crm deal move).",
        "Изменить поля сделки (этап меняется через crm deal move)."),
      discussion: tr(
        "An empty --probability returns to the stage's; empty --expected-close or "
          + "--source clears them.",
        "Пустой --probability возвращает вероятность этапа; пустые --expected-close или "
          + "--source очищают их."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @Option(help: tr("Title.", "Название.")) var title: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Amount in the deal's currency (or --currency).",
        "Сумма в валюте сделки (или --currency)."))
    var amount: String?
    @Option(
      help: tr(
        "ISO 4217 code.",
        "Код ISO 4217.")) var currency: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Probability in %; empty: the stage's.",
        "Вероятность в %; пусто — вероятность этапа.")) var probability: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Expected close: 31.12.2026, +30d; empty clears it.",
        "Ожидаемое закрытие: 31.12.2026, +30d; пусто очищает."))
    var expectedClose: String?
    @Option(
      help: tr(
        "Lead source: key or name; empty clears it.",
        "Источник лида: ключ или название; пусто очищает.")) var source: String?
    @Option(
      help: tr(
        "Owner's login.",
        "Логин ответственного.")) var owner: String?
    @Option(help: tr("Notes.", "Заметки.")) var notes: String?
    @Option(
      help: tr(
        "Save only if the deal is still at this version (else exit 1).",
        "Сохранить, только если сделка всё ещё в этой версии (иначе код 1)."))
    var expectVersion: Int64?
    @Flag(
      help: tr(
        "Print the saved deal's id and version as JSON.",
        "Вывести номер и версию сохранённой сделки в JSON.")) var json = false

    func run(_ session: Session) throws {
      let database = session.database
      let input = DealInput(session)
      let before = try session.deal(id).deal
      var d = before
      if let expectVersion { d.version = expectVersion }
      let l = global.language
      if let title { d.title = title }
      let cur = try currency.map(input.currency) ?? before.money.currency
      if let amount {
        d.amount = try input.amount(amount, cur).minor
      } else if cur != before.money.currency {
        // The same sum in the new currency's minor units.
        d.amount = try input.amount(before.money.plain, cur, option: "--currency").minor
      }
      d.currency = cur.code
      if let probability { d.probability = try input.probability(probability) }
      if let expectedClose {
        d.expectedClose = try input.day(expectedClose, option: "--expected-close")
      }
      if let source { d.source = try input.source(source) }
      if let owner { d.ownerId = try global.user(database, login: owner, option: "--owner").id }
      if let notes { d.notes = notes }
      let service = session.context.deals
      let fields: [(String, Bool)] = [
        ("title", d.title != before.title), ("amount", d.amount != before.amount),
        ("currency", d.currency != before.currency),
        ("probability", d.probability != before.probability),
        ("expected_close", d.expectedClose != before.expectedClose),
        ("source", d.source != before.source), ("owner", d.ownerId != before.ownerId),
        ("notes", d.notes != before.notes),
      ]
      let changed = fields.filter(\.1).map { service.fieldName($0.0).lowercased() }
      if changed.isEmpty {
        print(l.pick("Deal №\(id): nothing to change", "Сделка №\(id): менять нечего"))
        return
      }
      // The deal as loaded is the base of a three-way merge; --expect-version has none.
      try session.context.deals.update(
        d, base: expectVersion == nil ? before : nil)
      if json {
        let saved = try session.deal(id).deal
        printJSON(["id": id, "version": saved.version ?? 0])
        return
      }
      print(
        l.pick("Deal №\(id) changed: ", "Сделка №\(id) изменена: ")
          + changed.joined(separator: ", "))
    }
  }
}

// MARK: crm pipeline

struct PipelineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeline",
    abstract: tr(
      "The sales process: pipelines and their stages, lead sources, lost reasons.",
      "Процесс продаж: воронки и их этапы, источники лидов, причины проигрыша."),
    subcommands: [Show.self, ExportConfig.self, ImportConfig.self])

  struct ExportConfig: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: tr(
        "Write the sales-process configuration as a commented TOML file.",
        "Записать настройку процесса продаж файлом TOML с комментариями."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Write to this file instead of standard output.",
        "Записать в этот файл вместо стандартного вывода.")) var out: String?

    func run(_ session: Session) throws {
      let config = try session.context.pipelines.current()
      let text = FunnelConfigFile.write(config, language: global.language)
      if let out {
        try writeAtomically(text, to: out, global)
      } else {
        print(text, terminator: "")
      }
    }
  }

  /// Not a `CRMCommand`: the file is read once (it may be a pipe) before the database opens,
  /// and its parsed form is what the body applies; `Session.run` does the base's part.
  struct ImportConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: tr(
        "Apply a sales-process configuration file whole, or change nothing.",
        "Применить файл настройки процесса продаж целиком или ничего не менять."),
      discussion: tr(
        """
        Stages and pipelines are matched by key, so deals keep their stage. A file with a \
        mistake is refused with its line; removing a stage that holds deals is refused with \
        the count. --dry-run shows what would change.
        """,
        """
        Этапы и воронки сопоставляются по ключу, так что сделки остаются на своих этапах. Файл \
        с ошибкой отклоняется с указанием строки; удаление этапа, на котором есть сделки, \
        отклоняется с их числом. --dry-run показывает, что изменится.
        """))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The TOML file (see crm pipeline export).",
        "Файл TOML (см. crm pipeline export).")) var file: String
    @Flag(
      help: tr(
        "Check and report, change nothing.",
        "Проверить и сообщить, ничего не меняя.")) var dryRun = false

    func run() throws {
      let l = global.language
      guard let data = FileManager.default.contents(atPath: file) else {
        throw Failure(
          message: l.pick("cannot read \(file)", "не удаётся прочитать \(file)"), code: 1)
      }
      guard let text = String(data: data, encoding: .utf8) else {
        throw Failure(
          message: l.pick(
            "\(file) is not UTF-8 text; save it as UTF-8",
            "\(file) — не текст в UTF-8; сохраните его в UTF-8"), code: 1)
      }
      var config: FunnelConfig
      do {
        config = try FunnelConfigFile.parse(
          text, language: l, fileName: (file as NSString).lastPathComponent)
      } catch {
        throw Failure(message: error.description, code: 1)
      }
      // A file from before the outcome list keeps the stored outcomes.
      let keepOutcomes = !FunnelConfigFile.declares("outcomes", in: text)
      try Session.run(
        global, readOnly: false,
        body: { session in
          if keepOutcomes { config.outcomes = try session.context.pipelines.outcomes() }
          report(try session.context.pipelines.apply(config, dryRun: dryRun))
        })
    }

    /// What applying the file changed (or would change), one line per kind.
    func report(_ changes: PipelineChanges) {
      let l = global.language
      var lines: [String] = []
      func add(_ en: String, _ ru: String, _ items: [String]) {
        if !items.isEmpty { lines.append(l.pick(en, ru) + ": " + items.joined(separator: ", ")) }
      }
      add("added", "добавлено", changes.added)
      add("changed", "изменено", changes.changed)
      add("removed", "удалено", changes.removed)
      add("archived (history keeps them)", "в архиве (остались в истории)", changes.archived)
      add("lists changed", "изменены списки", changes.listsChanged)
      if lines.isEmpty { lines.append(l.pick("nothing to change", "изменений нет")) }
      if dryRun {
        lines.insert(l.pick("dry run, nothing applied:", "проверка, ничего не применено:"), at: 0)
      }
      print(lines.joined(separator: "\n"))
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Stages in order with their probability, stuck limit and entry actions; lead "
          + "sources and lost reasons.",
        "Этапы по порядку с вероятностью, пределом застревания и действиями при входе; "
          + "источники лидов и причины проигрыша."))
    @OptionGroup var global: Global
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.pipelines
      let pipelines = try service.pipelines()
      let sources = try service.leadSources()
      let reasons = try service.lostReasons()
      if output.json {
        printJSON(
          DealJSON.configuration(pipelines, leadSources: sources, lostReasons: reasons))
        return
      }
      let l = global.language
      let cols = [
        Col(width: 2, right: true), Col(width: 12), Col(width: 24), Col(width: 9),
        Col(width: 5, right: true), Col(width: 10),
      ]
      var lines: [String] = []
      for (i, p) in pipelines.enumerated() {
        if i > 0 { lines.append("") }
        lines.append(
          l.pick("Pipeline", "Воронка") + " \(p.key) «\(p.name(l))»"
            + (i == 0 ? l.pick(" (default)", " (по умолчанию)") : ""))
        lines.append(
          tableLine(
            [
              "#", l.pick("Key", "Ключ"), l.pick("Stage", "Этап"), l.pick("Kind", "Вид"),
              l.pick("Prob.", "Вер."), l.pick("Stuck after", "Зависает"),
            ], cols))
        for (j, s) in p.stages.enumerated() {
          lines.append(
            tableLine(
              [
                String(j + 1), s.key, s.name(l), DealText.kind(s.kind, language: l),
                DealText.probability(s.probability, language: l),
                s.stuckDays.map { DealText.days($0, language: l) } ?? "",
              ], cols))
          for a in s.actions {
            lines.append("     → " + DealText.action(a, language: l))
          }
        }
      }
      for (title, list) in [
        (l.pick("Lead sources", "Источники"), sources),
        (l.pick("Lost reasons", "Причины проигрыша"), reasons),
      ] {
        lines.append("")
        lines.append(title + ":")
        for c in list {
          lines.append(
            tableLine(["", c.key, c.name(l)], [Col(width: 1), Col(width: 14), Col(width: 60)]))
        }
      }
      print(lines.joined(separator: "\n"))
    }
  }
}
