import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// An app on an empty database at Monday 2026-11-23 12:00 UTC, with anna acting, boris known,
/// and a client «Ромашка».
@MainActor
struct FunnelFixture {
  let app: App
  let term: MemoryTerminal
  let db: CRMDatabase
  let clock: HandClock
  let deals: DealService
  let clients: ClientService
  let me: Int64
  let boris: Int64
  let client: Int64

  init(rows: Int = 24, cols: Int = 80, lang: Language = .ru) throws {
    let (app, term, db, clock, _, me) = try contactApp(rows: rows, cols: cols, lang: lang)
    self.app = app
    self.term = term
    self.db = db
    self.clock = clock
    self.me = me
    boris = try #require(try db.user(login: "boris")).id
    deals = DealService(db: db, userId: me, language: lang, timeZone: utc)
    clients = ClientService(db: db, userId: me, language: lang)
    client = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
  }

  @discardableResult
  func deal(
    _ title: String = "Поставка", amount: Int64 = 150_000_00, stage: String? = nil,
    owner: Int64? = nil, client: Int64? = nil
  ) throws -> Int64 {
    try deals.add(
      Deal(clientId: client ?? self.client, title: title, amount: amount, ownerId: owner ?? 0),
      stage: stage)
  }

  var funnel: FunnelScreen { app.roots[4] as! FunnelScreen }

  func press(_ keys: Key...) {
    for k in keys { app.handle(k) }
    app.render()
  }

  func type(_ text: String) {
    for ch in text { app.handle(.char(ch)) }
    app.render()
  }

  /// The display column where `needle` starts on `row`.
  func column(of needle: String, row: Int) -> Int? {
    let line = term.line(row)
    guard let r = line.range(of: needle) else { return nil }
    return TextWidth.of(String(line[..<r.lowerBound]))
  }

  /// The text on `row` from display column `col`, `width` columns wide.
  func text(row: Int, col: Int, width: Int) -> String {
    var s = ""
    for c in col..<min(term.size.cols, col + width) where !term.frame[row, c].continuation {
      s.append(term.frame[row, c].char)
    }
    return s
  }
}

/// Ten open stages («Этап 01» … «Этап 10»), won and lost.
func tenStages() -> FunnelConfig {
  var config = FunnelConfig.standard
  var stages = (1...10).map { i in
    StageDefinition(
      key: "s\(i)", name: String(format: "Этап %02d", i), nameEn: String(format: "Stage %02d", i),
      probability: i * 9, stuckDays: 30)
  }
  stages.append(StageDefinition(key: "won", name: "Выиграна", kind: .won, probability: 100))
  stages.append(
    StageDefinition(
      key: "lost", name: "Проиграна", kind: .lost, probability: 0, actions: [.require(.lostReason)])
  )
  config.pipelines = [PipelineDefinition(key: "big", name: "Большая", stages: stages)]
  return config
}

@MainActor
@Suite struct FunnelScreenTests {
  @Test func tenStagesAt80ColumnsScrollSidewaysWithMarkers() throws {
    let f = try FunnelFixture()
    try PipelineService(db: f.db, language: .ru).apply(tenStages())
    try f.deal("Первая", amount: 100_000_00)
    try f.deal("Вторая", amount: 50_000_00)
    try f.deal("Десятая", amount: 2_000_000_00, stage: "s10")
    f.press(.char("4"))
    #expect(f.funnel.visibleColumns == 3)
    let header = f.term.line(2)
    #expect(header.contains("Этап 01") && header.contains("Этап 03"))
    #expect(!header.contains("Этап 04"))
    #expect(header.hasSuffix("›"))
    #expect(!header.hasPrefix("‹"))
    #expect(f.term.style(of: " Этап 01")?.reverse == true)
    // Headers: count, sum and weighted sum (probability 9 %).
    #expect(f.term.line(3).contains("2 сделки"))
    #expect(f.term.line(4).contains("Σ 150\u{00A0}тыс.\u{00A0}₽"))
    #expect(f.term.line(5).contains("≈ 13,5\u{00A0}тыс.\u{00A0}₽"))
    #expect(f.term.text.contains("Вторая"))
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 80) }
    // To the last stage: the view follows the selection.
    for _ in 0..<9 { f.press(.char("l")) }
    let last = f.term.line(2)
    #expect(last.contains("Этап 10"))
    #expect(!last.contains("Этап 01"))
    #expect(last.hasPrefix("‹"))
    #expect(!last.hasSuffix("›"))
    #expect(f.term.style(of: " Этап 10")?.reverse == true)
    #expect(f.term.text.contains("Десятая"))
    #expect(f.term.text.contains("Σ 2\u{00A0}млн\u{00A0}₽"))
    // Back into the middle: both markers, the selected column on screen.
    for _ in 0..<5 { f.press(.left) }
    let middle = f.term.line(2)
    #expect(middle.hasPrefix("‹") && middle.hasSuffix("›"))
    #expect(middle.contains("Этап 05"))
    #expect(f.term.style(of: " Этап 05")?.reverse == true)
    // Wider terminals show more columns at once.
    f.term.resize(rows: 40, cols: 200)
    f.press(f.term.readKey()!)
    #expect(f.funnel.visibleColumns == 7)
    #expect(f.term.line(2).contains("Этап 05"))
  }

  @Test func stuckDealsShowTheDaysOverTheLimitInRed() throws {
    let f = try FunnelFixture()
    try f.deal("Старая")
    f.clock.current = noon.addingTimeInterval(10 * 86400)
    try f.deal("Новая", amount: 0, client: try f.clients.add(Client(name: "Берёзка")))
    f.press(.char("4"))
    // Interest is stuck after 7 days: 10 days in it is 3 over.
    #expect(f.term.text.contains("+3 дн"))
    let style = try #require(f.term.style(of: "+3 дн"))
    #expect(style.color == .red && style.bold)
    #expect(f.term.text.contains("0 дн"))
    #expect(f.term.style(of: "0 дн")?.color == .default)
    #expect(f.term.line(3).contains("2 сделки · зависло 1"))
    #expect(f.term.line(1).contains("зависло: 1"))
    // The stuck one is the longest in the stage: first.
    let old = try #require(f.term.row(containing: "Старая"))
    let new = try #require(f.term.row(containing: "Берёзка"))
    #expect(old < new)
  }

  @Test func forwardMovesTheDealAndTheCardAppearsInTheNextColumn() throws {
    let f = try FunnelFixture()
    let id = try f.deal()
    f.press(.char("4"))
    #expect(f.term.text.contains("Ромашка"))
    f.press(.char(">"))
    #expect(
      f.term.text.contains(
        "«Поставка» → КП отправлено; звонок на 26.11.2026 12:00; черновик КП №1."))
    #expect(try f.deals.deal(id)?.stage.key == "offer")
    let x = try #require(f.column(of: "КП отправлено", row: 2)) - 1
    let card = try #require(f.term.row(containing: "Ромашка"))
    #expect(f.text(row: card, col: x, width: 24).contains("Ромашка"))
    #expect(f.text(row: card + 1, col: x, width: 24).contains("Поставка"))
    #expect(f.term.line(3).hasPrefix("  0 сделок"))
    // `<` back: «Ю» and «Б» in the Russian layout are > and <.
    f.press(.right, .char("Б"))
    #expect(try f.deals.deal(id)?.stage.key == "interest")
  }

  @Test func lostAsksTheReasonFromTheList() throws {
    let f = try FunnelFixture()
    let id = try f.deal()
    f.press(.char("4"), .char("x"))
    #expect(f.term.text.contains("Почему проиграна?"))
    #expect(f.term.text.contains("Дорого"))
    f.press(.escape)
    #expect(f.term.text.contains("Сделка осталась открытой."))
    #expect(try f.deals.deal(id)?.deal.status == .open)
    f.press(.char("x"))
    f.type("конк")
    #expect(!f.term.text.contains("Дорого"))
    f.press(.enter)
    let row = try #require(try f.deals.deal(id))
    #expect(row.deal.status == .lost && row.deal.lostReason == "competitor")
    #expect(f.term.text.contains("«Поставка» → Проиграна."))
    #expect(f.term.text.contains("Нет ваших открытых сделок"))
    #expect(f.term.text.contains("проиграно 1 (150\u{00A0}тыс.\u{00A0}₽)"))
  }

  @Test func invoiceAsksTheAmountAndRetries() throws {
    let f = try FunnelFixture()
    let id = try f.deal(amount: 0, stage: "decision")
    f.press(.char("4"), .char("l"), .char("l"))
    #expect(f.term.style(of: " Ждём решения")?.reverse == true)
    f.press(.char(">"))
    #expect(f.term.text.contains("Поставка — Сумма"))
    #expect(f.term.text.contains("Этап «Счёт выставлен» требует это поле"))
    f.type("много")
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("не удаётся прочитать"))
    #expect(try f.deals.deal(id)?.stage.key == "decision")
    f.press(.ctrl("u"))
    f.type("12 500,50")
    f.press(.ctrl("s"))
    let row = try #require(try f.deals.deal(id))
    #expect(row.stage.key == "invoice")
    #expect(row.deal.amount == 12_500_50)
    #expect(f.app.current is FunnelScreen)
    #expect(f.term.text.contains("«Поставка» → Счёт выставлен."))
  }

  @Test func anEmptyDatabaseSaysHowToAddAndAddingPicksTheClient() throws {
    let f = try FunnelFixture()
    f.press(.char("4"))
    #expect(f.term.text.contains("Нет ваших открытых сделок — нажмите a, чтобы добавить"))
    #expect(f.term.text.contains("За ноябрь: выиграно 0 · проиграно 0"))
    f.press(.char("u"))
    #expect(f.term.text.contains("Нет открытых сделок — нажмите a, чтобы добавить"))
    f.press(.char("a"))
    #expect(f.term.text.contains("Новая сделка: клиент"))
    f.type("ром")
    #expect(f.term.text.contains("ООО «Ромашка»"))
    f.press(.enter)
    #expect(f.term.text.contains("Новая сделка: ООО «Ромашка»"))
    f.type("Станки")
    f.press(.tab)
    f.type("1 200 000")
    f.press(.tab, .tab, .tab)
    f.type("выст")  // the only source starting so: Выставка
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("Сделка «Станки» добавлена"))
    let row = try #require(try f.deals.list().first)
    #expect(row.deal.amount == 1_200_000_00 && row.deal.source == "exhibition")
    #expect(f.term.text.contains("Станки"))
    #expect(f.term.text.contains("Σ 1,2\u{00A0}млн\u{00A0}₽"))
  }

  @Test func mineAndEveryoneAndTheFilter() throws {
    let f = try FunnelFixture(lang: .en)
    try f.deal("Mine")
    try f.deal("Boris's", owner: f.boris)
    f.press(.char("4"))
    #expect(f.term.text.contains("Mine") && !f.term.text.contains("Boris's"))
    #expect(f.term.line(1).contains("mine · open: 1 deal"))
    f.press(.char("u"))
    #expect(f.term.text.contains("Boris's"))
    #expect(f.term.line(1).contains("everyone's · open: 2 deals"))
    f.press(.char("f"))
    #expect(f.term.text.contains("Funnel filter"))
    f.press(.ctrl("u"))
    f.type("boris")
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("Boris's") && !f.term.text.contains("Mine"))
    #expect(f.term.line(1).contains("boris · open: 1 deal"))
    f.press(.escape)
    #expect(f.term.text.contains("Mine") && !f.term.text.contains("Boris's"))
  }

  @Test func columnsScrollDownReadingOnlyTheVisiblePage() throws {
    let f = try FunnelFixture()
    for i in 1...20 {
      try f.deal(String(format: "Сделка %02d", i))
      f.clock.current = f.clock.current.addingTimeInterval(60)
    }
    f.press(.char("4"))
    let per = f.funnel.cardsPerColumn
    #expect(per == 6)
    #expect(f.funnel.columns[0].cards.count == per)
    #expect(f.term.text.contains("▼ ещё 14"))
    f.press(.char("G"))
    #expect(f.funnel.columns[0].offset == 20 - per)
    #expect(f.term.text.contains("Сделка 20"))
    #expect(!f.term.text.contains("Сделка 01"))
    #expect(f.term.text.contains("─ ▲ ещё 14 ─"))
    #expect(f.term.style(of: "Сделка 20")?.reverse == true)
    f.press(.pageUp)
    #expect(f.term.style(of: "Сделка 14")?.reverse == true)
    f.press(.char("g"))
    #expect(f.funnel.columns[0].offset == 0)
    // Another column keeps its own place.
    f.press(.char("l"), .char("h"))
    #expect(f.term.style(of: "Сделка 01")?.reverse == true)
  }

  @Test func theDealCardShowsHistoryWithEntryActionsAndContacts() throws {
    let f = try FunnelFixture()
    let id = try f.deal()
    f.press(.char("4"), .char(">"), .char("l"), .enter)
    #expect(f.app.current is DealCardScreen)
    let text = f.term.text
    #expect(text.contains("Сделка №\(id): Поставка"))
    #expect(text.contains("КП отправлено · 0 дн. на этапе"))
    #expect(text.contains("Интерес → КП отправлено"))
    #expect(text.contains("↳ звонок 26.11.2026 12:00 · anna · запланирован"))
    #expect(text.contains("↳ черновик КП №"))
    #expect(text.contains("Контакты по сделке (1)"))
    // p plans a contact tied to the deal.
    f.press(.char("p"))
    #expect(f.app.current is ContactFormScreen)
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("Контакты по сделке (2)"))
    #expect(try f.app.context.contacts.contacts(ofDeal: id).count == 2)
    // l logs one that happened, also tied to the deal.
    f.press(.char("l"), .char("m"))
    f.type("Показали образцы")
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("Контакты по сделке (3)"))
    #expect(f.term.text.contains("Показали образцы"))
    // e edits; w asks first, then wins.
    f.press(.char("e"))
    #expect(f.term.text.contains("Сделка №\(id): ООО «Ромашка»"))
    f.press(.escape, .char("w"))
    #expect(f.term.text.contains("Отметить «Поставка» выигранной?"))
    f.press(.char("y"))
    #expect(try f.deals.deal(id)?.deal.status == .won)
    #expect(f.term.text.contains("[выиграна]"))
    f.press(.char(">"))
    #expect(f.term.text.contains("R в карточке сделки открывает её заново"))
    f.press(.char("R"))
    #expect(try f.deals.deal(id)?.stage.key == "offer")
    f.press(.char("q"))
    #expect(f.app.current is FunnelScreen)
  }

  @Test func moveToAnyStageAsksWhatTheStageNeeds() throws {
    let f = try FunnelFixture(lang: .en)
    let id = try f.deal(amount: 0)
    f.press(.char("4"), .char("m"))
    #expect(f.term.text.contains("To which stage? Now: Interest."))
    f.type("invo")
    f.press(.enter)
    #expect(f.term.text.contains("«Invoice issued» needs this to move the deal there."))
    f.type("700")
    f.press(.tab, .ctrl("u"))
    f.type("usd")
    f.press(.ctrl("s"))
    let row = try #require(try f.deals.deal(id))
    #expect(row.stage.key == "invoice" && row.deal.amount == 700_00 && row.deal.currency == "USD")
    f.press(.char("l"), .char("l"), .char("l"))
    #expect(f.term.style(of: " Invoice issued")?.reverse == true)
    #expect(f.term.text.contains("Σ 700\u{00A0}$"))
  }

  @Test func theClientCardListsDealsAndAddsOne() throws {
    let f = try FunnelFixture()
    let id = try f.deal()
    (f.app.current as! ClientsScreen).reload()
    f.press(.enter, .tab, .tab, .tab, .tab)
    #expect(f.term.text.contains("Сделки (1)"))
    #expect(f.term.text.contains("Интерес"))
    #expect(f.term.text.contains("150\u{00A0}000\u{00A0}₽"))
    #expect(f.term.text.contains("открыта"))
    f.press(.enter)
    #expect((f.app.current as? DealCardScreen)?.dealId == id)
    f.press(.char("q"), .char("D"))
    #expect(f.term.text.contains("Новая сделка: ООО «Ромашка»"))
    f.type("Сервис")
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("Сделки (2)"))
    #expect(try f.deals.list(DealFilter(clientId: f.client)).count == 2)
  }

  @Test func smallTerminalsAndResizeDoNotCrash() throws {
    let f = try FunnelFixture(rows: 10, cols: 20)
    for i in 0..<5 { try f.deal("Сделка с очень длинным названием \(i)") }
    f.press(.char("4"), .char("l"), .char("j"), .char(">"))
    #expect(f.term.text.contains("Окно терминала"))
    f.term.resize(rows: 24, cols: 80)
    f.press(f.term.readKey()!, .char("4"))
    #expect(f.term.text.contains("Интерес"))
    // The screen itself draws into any size without trapping.
    let screen = f.funnel
    for rows in [0, 1, 2, 5, 7, 9, 10] {
      for cols in [0, 1, 3, 10, 20, 25, 49, 50] {
        var canvas = Canvas(size: Size(rows: rows + 1, cols: cols))
        screen.draw(&canvas, top: 1, rows: rows, width: cols)
      }
    }
    f.term.resize(rows: 24, cols: 81)
    f.press(f.term.readKey()!)
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 81) }
  }

  @Test func wideCharactersKeepEveryLineAt80Columns() throws {
    let f = try FunnelFixture()
    let wide = try f.clients.add(Client(name: "東京貿易株式会社グループ本社"))
    try f.deal("設備の供給と据え付け、長い名前", client: wide)
    try f.deal("Очень длинное название сделки про станки", amount: 123_456_789_00)
    f.press(.char("4"))
    #expect(f.term.text.contains("東京貿易"))
    #expect(f.term.text.contains("…"))
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 80, "\(f.term.line(r))") }
    f.press(.enter)
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 80, "\(f.term.line(r))") }
  }

  @Test func nextPipelineAndReload() throws {
    let f = try FunnelFixture(lang: .en)
    var config = FunnelConfig.standard
    config.pipelines.append(
      PipelineDefinition(
        key: "service", name: "Сервис", nameEn: "Service",
        stages: [
          StageDefinition(key: "request", name: "Заявка", nameEn: "Request", probability: 50),
          StageDefinition(key: "won", name: "Выиграна", kind: .won, probability: 100),
          StageDefinition(key: "lost", name: "Проиграна", kind: .lost, probability: 0),
        ]))
    try PipelineService(db: f.db, language: .en).apply(config)
    try f.deal("Supply")
    f.press(.char("4"))
    #expect(f.term.line(1).hasPrefix(" Sales · mine · open: 1 deal · P: next pipeline"))
    f.press(.char("P"))
    #expect(f.term.line(1).hasPrefix(" Service · mine · open: 0 deals"))
    #expect(f.term.line(2).contains("Request"))
    #expect(!f.term.text.contains("Supply"))
    f.press(.char("a"), .enter)
    f.type("Repair")
    f.press(.ctrl("s"))
    #expect(try f.deals.list().first?.stage.key == "request")
    #expect(f.term.text.contains("Repair"))
    f.press(.char("P"))
    #expect(f.term.text.contains("Supply"))
    f.press(.char("r"))
    #expect(f.term.text.contains("Reloaded."))
  }

  @Test func englishStringsAndHints() throws {
    let f = try FunnelFixture(lang: .en)
    try f.deal("Supply", amount: 12_500_00)
    f.press(.char("4"))
    let text = f.term.text
    #expect(text.contains("Sales · mine · open: 1 deal"))
    #expect(text.contains(" Interest"))
    #expect(text.contains("Σ 12.5k\u{00A0}₽"))
    #expect(text.contains("≈ 1,250\u{00A0}₽ weighted"))
    #expect(text.contains("November: won 0 · lost 0"))
    #expect(f.term.line(23).contains("forward"))
    f.press(.char("?"))
    #expect(f.term.text.contains("one stage forward"))
  }
}
