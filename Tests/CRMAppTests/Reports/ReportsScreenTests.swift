import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// Monday 2026-10-05 12:00 UTC: deal F is created.
let octoberFifth = Date(timeIntervalSince1970: 1_791_201_600)
/// Monday 2026-11-02 12:00 UTC: deals A–E are created.
let novemberSecond = Date(timeIntervalSince1970: 1_793_620_800)

/// Six deals by hand (the core's funnel dataset plus one in October), one day at a time:
/// F: created 05.10 at interest by boris (source: inbound call), still there — stuck
/// A: interest 2d → offer 4d → decision 1d → won (100 000 ₽, site)
/// B: interest 1d → offer 2d → lost (price) (site)
/// C: interest 3d → decision 2d → won (50 000 ₽, boris, referral)
/// D: interest 5d → lost (budget)
/// E: interest, still open
/// The clock ends on Monday 09.11 13:00 UTC.
@MainActor
struct ReportsData {
  let clock = HandClock(octoberFifth)
  let db: CRMDatabase
  let anna: User
  let boris: User
  let deals: DealService
  var ids: [String: Int64] = [:]

  init() throws {
    db = try CRMDatabase(memory: clock)
    anna = try #require(try db.user(login: "anna"))
    boris = try #require(try db.user(login: "boris"))
    deals = DealService(db: db, userId: anna.id, language: .en, timeZone: utc)
    let clients = ClientService(db: db, userId: anna.id, language: .ru)
    let romashka = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
    let vector = try clients.add(Client(name: "Вектор", legalForm: "АО"))
    func add(_ t: String, _ amount: Int64, owner: Int64, source: String = "", client: Int64)
      throws -> Int64
    {
      try deals.add(
        Deal(clientId: client, title: t, amount: amount, source: source, ownerId: owner))
    }
    ids["F"] = try add("Станки", 70_000_00, owner: boris.id, source: "call", client: vector)
    clock.current = novemberSecond
    ids["A"] = try add("A", 100_000_00, owner: anna.id, source: "site", client: romashka)
    ids["B"] = try add("B", 20_000_00, owner: anna.id, source: "site", client: romashka)
    ids["C"] = try add("C", 50_000_00, owner: boris.id, source: "referral", client: romashka)
    ids["D"] = try add("D", 10_000_00, owner: anna.id, client: romashka)
    ids["E"] = try add("Поставка", 0, owner: anna.id, client: romashka)
    days(1)
    try deals.move(ids["B"]!, to: "offer")
    days(1)
    try deals.move(ids["A"]!, to: "offer")
    days(1)
    try deals.move(ids["C"]!, to: "decision")
    try deals.lost(ids["B"]!, reason: "price")
    days(2)
    try deals.won(ids["C"]!)
    try deals.lost(ids["D"]!, reason: "budget")
    days(1)
    try deals.move(ids["A"]!, to: "decision")
    days(1)
    try deals.won(ids["A"]!)
    clock.current = clock.current.addingTimeInterval(3600)
  }

  func days(_ n: Double) { clock.current = clock.current.addingTimeInterval(n * 86400) }

  func app(rows: Int = 24, cols: Int = 80, lang: Language = .ru) -> (App, MemoryTerminal) {
    let context = AppContext(db: db, user: anna, language: lang, timeZone: utc)
    let term = MemoryTerminal(rows: rows, cols: cols)
    let app = App(term: term, context: context)
    app.handle(.char("6"))
    app.render()
    return (app, term)
  }
}

/// The bar characters of a line (stage rows have no other block characters).
func barOf(_ line: String) -> String {
  String(line.filter { "█▏▎▍▌▋▊▉".contains($0) })
}

func blocks(_ full: Int, _ partial: String = "") -> String {
  String(repeating: "█", count: full) + partial
}

/// Two results side by side, as the funnel's summary shows them.
func pair(_ a: String, _ v: String, _ b: String, _ w: String) -> String {
  TextWidth.fit(a, to: 11) + " " + TextWidth.fit(v, to: 7, alignRight: true) + "   "
    + TextWidth.fit(b, to: 19) + " " + w
}

/// The numbers of an owner or source row: created, won, lost, win rate, revenue.
func groupTail(_ created: Int, _ won: Int, _ lost: Int, _ rate: String, _ revenue: String)
  -> String
{
  [(String(created), 7), (String(won), 7), (String(lost), 7), (rate, 5), (revenue, 13)].map {
    TextWidth.fit($0.0, to: $0.1, alignRight: true)
  }.joined(separator: " ")
}

let rub = "\u{00A0}₽"

@MainActor
@Suite struct ReportsScreenTests {
  @Test func barsAreProportionalInEighthsAndSparklinesScale() {
    #expect(ReportsScreen.bar(5, of: 5, width: 31) == blocks(31))
    // 3/5 of 31 columns = 18.6 columns = 148.8 eighths → 149 = 18 full + 5/8.
    #expect(ReportsScreen.bar(3, of: 5, width: 31) == blocks(18, "▋"))
    #expect(ReportsScreen.bar(2, of: 5, width: 31) == blocks(12, "▍"))
    #expect(ReportsScreen.bar(0, of: 5, width: 31) == "")
    #expect(ReportsScreen.bar(1, of: 1000, width: 10) == "▏")  // never invisible
    #expect(ReportsScreen.bar(1, of: 2, width: 1) == "▌")
    #expect(ReportsScreen.bar(7, of: 5, width: 4) == blocks(4))
    #expect(ReportsScreen.bar(3, of: 5, width: 0) == "")
    #expect(ReportsScreen.sparkline([0, 1, 4, 8], max: 8) == "·▁▄█")
    #expect(ReportsScreen.sparkline([2, 2], max: 0) == "··")
  }

  @Test func funnelShowsReachedConversionBarsAndDays() throws {
    let data = try ReportsData()
    let (app, term) = data.app()
    #expect(app.current is ReportsScreen)
    #expect(term.line(0).contains("6 Отчёты"))
    #expect(term.line(1).contains(" Воронка "))
    #expect(term.style(of: " Воронка ")?.reverse == true)
    #expect(term.line(1).contains("Источники"))
    #expect(term.line(1).contains("Зависшие"))
    #expect(term.line(2).contains("Продажи · Ноябрь 2026 · все"))
    #expect(term.line(3).contains("Этап"))
    #expect(term.line(3).contains("Дошли"))
    #expect(term.line(3).contains("Конв."))
    // Content is 79 columns: margin 1, name 20, bar 31, number 6, conversion 5, days 12.
    let expected: [(String, Int, String, String, String)] = [
      ("Интерес", 5, blocks(31), "", "2,8 / 2,5"),
      ("КП отправлено", 3, blocks(18, "▋"), "60%", "3,0 / 3,0"),
      ("Ждём решения", 2, blocks(12, "▍"), "67%", "1,5 / 1,5"),
      ("Счёт выставлен", 2, blocks(12, "▍"), "100%", "—"),
      ("Оплачено", 2, blocks(12, "▍"), "100%", "—"),
      ("Отгружено / акт", 2, blocks(12, "▍"), "100%", "—"),
      ("Выиграна", 2, blocks(12, "▍"), "100%", "—"),
    ]
    for (i, e) in expected.enumerated() {
      let line = term.line(4 + i)
      #expect(line.hasPrefix(" " + e.0), "\(line)")
      #expect(barOf(line) == e.2, "\(e.0): \(line)")
      let tail =
        TextWidth.fit(String(e.1), to: 6, alignRight: true) + " "
        + TextWidth.fit(e.3, to: 5, alignRight: true) + " "
        + TextWidth.fit(e.4, to: 12, alignRight: true)
      #expect(line.contains(e.2 + String(repeating: " ", count: 31 - TextWidth.of(e.2) + 1) + tail))
    }
    #expect(term.style(of: blocks(31))?.color == .cyan)
    let text = term.text
    #expect(text.contains(pair("Создано", "5", "Доля побед", "50%")))
    #expect(text.contains(pair("Выиграно", "2", "Выручка", "150\u{00A0}000,00" + rub)))
    #expect(text.contains(pair("Проиграно", "2", "Сквозная конверсия", "40%")))
    #expect(text.contains("По ответственным"))
    // anna: A, B, D, E created; A won; B, D lost. boris: C created and won.
    let anna = try #require(term.row(containing: " anna            "))
    #expect(term.line(anna).contains(groupTail(4, 1, 2, "33%", "100\u{00A0}000" + rub)))
    let boris = try #require(term.row(containing: " boris           "))
    #expect(term.line(boris).contains(groupTail(1, 1, 0, "100%", "50\u{00A0}000" + rub)))
    // anna has the most deals: the longest bar; boris a quarter of it.
    let annaBar = barOf(term.line(anna))
    #expect(TextWidth.of(annaBar) == 17)
    #expect(barOf(term.line(boris)) == ReportsScreen.bar(1, of: 4, width: 17))
    #expect(term.text.contains("▼"))  // longer than the screen
  }

  @Test func scrollingShowsTheMonthsAtTheBottom() throws {
    let data = try ReportsData()
    let (app, term) = data.app()
    let screen = try #require(app.current as? ReportsScreen)
    #expect(!term.text.contains("По месяцам"))
    press(app, term, .char("j"))
    #expect(screen.top == 1)
    #expect(term.text.contains("▲"))
    press(app, term, .char("G"))
    #expect(term.text.contains("По месяцам · 11.2026"))
    #expect(term.text.contains(" Создано    ███ 5"))
    #expect(term.text.contains(" Выиграно   ▄▄▄ 2"))  // 2 of 5: the 4th of 8 levels
    #expect(term.style(of: "▄▄▄")?.color == .green)
    #expect(!term.text.contains("▼"))
    press(app, term, .char("g"))
    #expect(screen.top == 0)
    press(app, term, .pageDown)
    #expect(screen.top > 0)
    press(app, term, .pageUp)
    #expect(screen.top == 0)
  }

  @Test func periodKeysChangeTheNumbers() throws {
    let data = try ReportsData()
    let (app, term) = data.app()
    let screen = try #require(app.current as? ReportsScreen)
    #expect(screen.report?.total.created == 5)
    // October: only F was created; nothing closed.
    press(app, term, .char("["))
    #expect(term.line(2).contains("Октябрь 2026"))
    #expect(screen.report?.total.created == 1)
    #expect(term.line(4).contains("Интерес"))
    #expect(term.line(4).contains(blocks(31) + "      1"))
    #expect(term.line(5).contains("     0    0%"))
    #expect(term.text.contains(pair("Создано", "1", "Доля побед", "—")))
    // September: nothing at all.
    press(app, term, .char("["))
    #expect(term.text.contains("В этом периоде сделки не создавались и не закрывались."))
    press(app, term, .char("]"), .char("]"))
    #expect(term.line(2).contains("Ноябрь 2026"))
    // The quarter holds all six: 3 of 6 reached the offer.
    press(app, term, .char("p"))
    #expect(term.line(2).contains("IV кв. 2026 (01.10.2026 – 31.12.2026)"))
    #expect(screen.report?.total.created == 6)
    #expect(term.line(5).contains("50%"))
    press(app, term, .char("p"))
    #expect(term.line(2).contains("2026 год"))
    press(app, term, .char("p"))
    #expect(term.line(2).contains("Всё время"))
    #expect(screen.period.from == nil && screen.period.to == nil)
    press(app, term, .char("["))
    #expect(term.text.contains("нет соседних периодов"))
    press(app, term, .char("p"))
    #expect(term.line(2).contains("Ноябрь 2026"))
    // Mine: anna's four deals of November.
    press(app, term, .char("o"))
    #expect(term.line(2).contains("· мои"))
    #expect(screen.report?.total.created == 4)
    #expect(term.text.contains(pair("Создано", "4", "Доля побед", "33%")))
    #expect(term.row(containing: " boris           ") == nil)
    press(app, term, .char("o"))
    press(app, term, .char("["), .char("t"))
    #expect(term.line(2).contains("Ноябрь 2026"))
    press(app, term, .char("P"))
    #expect(term.text.contains("Воронка одна: «Продажи»."))
  }

  @Test func leadSourcesAndStuckDeals() throws {
    let data = try ReportsData()
    let (app, term) = data.app()
    press(app, term, .tab)
    #expect(term.style(of: " Источники ")?.reverse == true)
    #expect(term.line(4).contains("Источник"))
    let site = try #require(term.row(containing: " Сайт "))
    #expect(term.line(site).contains(groupTail(2, 1, 1, "50%", "100\u{00A0}000" + rub)))
    #expect(TextWidth.of(barOf(term.line(site))) == 17)
    let none = try #require(term.row(containing: "(не указан)"))
    #expect(term.line(none).contains(groupTail(2, 0, 1, "0%", "—")))
    let referral = try #require(term.row(containing: "Рекомендация"))
    #expect(term.line(referral).contains(groupTail(1, 1, 0, "100%", "50\u{00A0}000" + rub)))
    #expect(term.row(containing: "Входящий звонок") == nil)  // F was created in October
    press(app, term, .char("l"))  // l, like Tab, goes to the next section
    #expect(term.style(of: " Зависшие ")?.reverse == true)
    #expect(term.line(2).contains("Продажи · сейчас"))
    // F: 35 days + 1 h at interest (limit 7) → 29 days over; E: 7 days + 1 h → 1 day over.
    let f = try #require(term.row(containing: "АО «Вектор»"))
    #expect(term.line(f).contains("Станки"))
    #expect(term.line(f).contains("Интерес"))
    #expect(term.line(f).contains("+29 дн."))
    #expect(term.line(f).contains("boris"))
    let e = try #require(term.row(containing: "Поставка"))
    #expect(e == f + 1)
    #expect(term.line(e).contains("+1 дн."))
    #expect(term.style(of: "+29 дн.")?.color == .red)
    // Mine: only E.
    press(app, term, .char("o"))
    #expect(term.row(containing: "Станки") == nil)
    #expect(term.row(containing: "Поставка") != nil)
    press(app, term, .backTab, .backTab)
    #expect(term.style(of: " Воронка ")?.reverse == true)
  }

  @Test func emptyDatabaseSaysSoInEverySection() throws {
    let (app, term, _) = try makeApp()
    press(app, term, .char("6"))
    #expect(term.text.contains("Сделок пока нет."))
    #expect(term.text.contains("e — настроить этапы воронки."))
    press(app, term, .tab)
    #expect(term.text.contains("Сделок пока нет."))
    press(app, term, .tab)
    #expect(term.text.contains("Сделок пока нет."))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
  }

  @Test func englishTexts() throws {
    let data = try ReportsData()
    let (app, term) = data.app(lang: .en)
    #expect(term.line(1).contains(" Funnel "))
    #expect(term.line(2).contains("Sales · November 2026 · everyone"))
    #expect(term.line(3).contains("Reach."))
    #expect(term.line(4).contains("Interest"))
    #expect(term.line(4).contains("2.8 / 2.5"))
    #expect(term.line(5).contains("Offer sent"))
    #expect(term.text.contains(pair("Won", "2", "Revenue", "150,000.00" + rub)))
    #expect(term.text.contains(pair("Lost", "2", "Overall conversion", "40%")))
    #expect(term.line(23).contains("section"))
    #expect(term.line(23).contains("period"))
    press(app, term, .char("p"))
    #expect(term.line(2).contains("Q4 2026"))
    press(app, term, .tab, .tab)
    #expect(term.text.contains("+29 d"))
    press(app, term, .char("?"))
    #expect(term.text.contains("previous / next period"))
  }

  @Test func hintsAndLayoutAt80x24() throws {
    let data = try ReportsData()
    let (_, term) = data.app()
    let hints = term.line(23)
    for word in ["справка", "раздел", "период", "длина", "мои/все", "этапы", "выход"] {
      #expect(hints.contains(word), "\(word)")
    }
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
  }

  @Test func survives20x10AndResize() throws {
    let data = try ReportsData()
    let (app, term) = data.app()
    term.resize(rows: 10, cols: 20)
    app.handle(term.readKey()!)
    app.render()
    #expect(term.text.contains("20×10"))
    term.resize(rows: 24, cols: 80)
    app.handle(term.readKey()!)
    app.render()
    #expect(term.line(4).contains("Интерес"))
    term.resize(rows: 40, cols: 160)
    app.handle(term.readKey()!)
    app.render()
    #expect(term.text.contains("По месяцам"))  // everything fits
    #expect(TextWidth.of(barOf(term.line(4))) > 31)
    // Drawn straight into tiny canvases, every section keeps inside them.
    let screen = try #require(app.current as? ReportsScreen)
    for _ in 0..<ReportsScreen.Section.allCases.count {
      for (rows, cols) in [(10, 20), (3, 5), (1, 1), (24, 80)] {
        var canvas = Canvas(size: Size(rows: rows, cols: cols))
        screen.draw(&canvas, top: 0, rows: rows, width: cols)
        for r in 0..<rows { #expect(TextWidth.of(canvas.line(r)) == cols) }
      }
      app.handle(.tab)
    }
    var canvas = Canvas(size: Size(rows: 10, cols: 20))
    screen.draw(&canvas, top: 0, rows: 10, width: 20)
    #expect(canvas.text.contains("Интерес") || canvas.text.contains("Инте"))
  }
}

@MainActor
@Suite struct PipelineEditorTests {
  func editor(_ data: ReportsData) throws -> (App, MemoryTerminal, PipelineEditorScreen) {
    let (app, term) = data.app()
    press(app, term, .char("e"))
    let editor = try #require(app.current as? PipelineEditorScreen)
    return (app, term, editor)
  }

  @Test func listsTheStagesWithTheirSettings() throws {
    let data = try ReportsData()
    let (app, term, _) = try editor(data)
    #expect(term.line(1).contains("Этапы воронки «Продажи»"))
    #expect(term.line(2).contains("Ключ"))
    #expect(term.line(2).contains("Действия при входе"))
    let offer = try #require(term.row(containing: "offer"))
    #expect(term.line(offer).contains("КП отправлено"))
    #expect(term.line(offer).contains("открытый"))
    #expect(term.line(offer).contains("25%"))
    #expect(term.line(offer).contains("5 дн."))
    #expect(term.line(offer).contains("draft offer; plan call +"))
    #expect(term.style(of: "interest")?.reverse == true)
    press(app, term, .char("j"))
    #expect(
      term.text.contains(
        "Действия при входе «КП отправлено»: draft offer; plan call +3d \"Узнать решение\n по КП\"")
    )
    let won = try #require(term.row(containing: "Выиграна"))
    #expect(term.line(won).contains("выигрыш"))
    #expect(term.line(won).contains("—"))
    press(app, term, .char("q"))
    #expect(app.current is ReportsScreen)
  }

  @Test func renamingAStageShowsInTheFunnel() throws {
    let data = try ReportsData()
    let (app, term, _) = try editor(data)
    press(app, term, .char("j"), .enter)
    #expect(term.text.contains("Этап «КП отправлено» (offer, открытый)"))
    press(app, term, .ctrl("u"))
    type(app, "Предложение")
    press(app, term, .ctrl("s"))
    #expect(app.current is PipelineEditorScreen)
    #expect(term.text.contains("Этап «Предложение» сохранён."))
    #expect(term.style(of: "offer")?.reverse == true)
    press(app, term, .char("q"))
    #expect(term.line(5).contains("Предложение"))
    #expect(barOf(term.line(5)) == blocks(18, "▋"))
    let config = try PipelineService(db: data.db, language: .ru).current()
    #expect(config.pipelines[0].stages[1].name == "Предложение")
    #expect(try data.deals.deal(data.ids["E"]!)?.stage.key == "interest")
  }

  @Test func deletingAStageThatHoldsDealsIsRefusedWithTheCount() throws {
    let data = try ReportsData()
    let (app, term, _) = try editor(data)
    let before = try PipelineService(db: data.db, language: .ru).current()
    press(app, term, .char("d"))
    #expect(term.text.contains("Удалить этап «Интерес» (interest)?"))
    press(app, term, .char("y"))
    // E and F are at interest.
    // The message is longer than the status line: it wraps upwards, its advice on line 22.
    #expect(term.line(21).contains("на этапе «interest» воронки «sales» 2 сделки"))
    #expect(term.line(22).contains("сначала перенесите их на другой этап"))
    #expect(term.style(of: "на этапе «interest»")?.color == .red)
    #expect(term.text.contains("сначала перенесите их"))
    #expect(term.row(containing: "interest   Интерес") != nil)
    #expect(try PipelineService(db: data.db, language: .ru).current() == before)
    // A stage nobody is at, and no history names, goes away.
    press(app, term, .char("j"), .char("j"), .char("j"), .char("j"))
    #expect(term.style(of: "paid")?.reverse == true)
    press(app, term, .char("d"), .char("y"))
    #expect(
      term.text.contains("Этап «Оплачено» удалён.") || term.text.contains("Этап «Оплачено» убран"))
    #expect(term.row(containing: "paid") == nil)
  }

  @Test func movingAStageUp() throws {
    let data = try ReportsData()
    let (app, term, editor) = try editor(data)
    press(app, term, .char("j"), .char("j"))
    #expect(term.style(of: "decision")?.reverse == true)
    press(app, term, .char("K"))
    #expect(term.text.contains("Этап «Ждём решения» перемещён выше."))
    #expect(editor.stages.prefix(3).map(\.key) == ["interest", "decision", "offer"])
    #expect(try #require(term.row(containing: "decision")) < (term.row(containing: "offer") ?? 0))
    #expect(term.style(of: "decision")?.reverse == true)
    let stored = try PipelineService(db: data.db, language: .ru).pipeline()
    #expect(stored.stages.prefix(3).map(\.key) == ["interest", "decision", "offer"])
    press(app, term, .char("k"), .char("K"))
    #expect(term.text.contains("Этап и так первый."))
    press(app, term, .char("G"), .char("J"))
    #expect(term.text.contains("Этап и так последний."))
    // The first stage must stay an open one: PipelineService refuses, nothing changes.
    press(app, term, .char("G"))
    for _ in 0..<7 { press(app, term, .char("K")) }
    #expect(term.text.contains("первый этап должен быть открытым"))
    #expect(editor.stages.first?.key == "interest")
  }

  @Test func aBadEntryActionIsNamedAndNothingChanges() throws {
    let data = try ReportsData()
    let (app, term, _) = try editor(data)
    let before = try PipelineService(db: data.db, language: .ru).current()
    press(app, term, .char("j"), .char("e"))
    press(app, term, .tab, .tab, .tab, .tab)
    type(app, "; plan call soon")
    press(app, term, .ctrl("s"))
    #expect(app.current is StageFormScreen)
    #expect(term.text.contains("«plan call soon»: не удаётся прочитать срок «soon»"))
    #expect(term.style(of: "«plan call soon»")?.color == .red)
    #expect(try PipelineService(db: data.db, language: .ru).current() == before)
    // A quoted subject may hold a semicolon; an unknown probability is marked on its field.
    press(app, term, .ctrl("u"))
    type(app, "plan meeting +1w \"Встреча; итоги\"")
    press(app, term, .backTab, .backTab)
    press(app, term, .ctrl("u"))
    type(app, "сто")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("целое число от 0 до 100"))
    press(app, term, .ctrl("u"))
    type(app, "150")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("вероятность 150 вне 0–100"))
    #expect(try PipelineService(db: data.db, language: .ru).current() == before)
    press(app, term, .ctrl("u"))
    type(app, "30")
    press(app, term, .ctrl("s"))
    #expect(app.current is PipelineEditorScreen)
    let offer = try PipelineService(db: data.db, language: .ru).pipeline().stages[1]
    #expect(offer.probability == 30)
    #expect(offer.actions == [.plan(kind: .meeting, after: "+1w", subject: "Встреча; итоги")])
  }

  @Test func addingAStageAfterTheSelectedOne() throws {
    let data = try ReportsData()
    let (app, term, editor) = try editor(data)
    press(app, term, .char("j"), .char("a"))
    #expect(term.text.contains("Новый этап после «offer»"))
    type(app, "Демо")
    press(app, term, .tab)
    type(app, "Демонстрация")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("ключ «Демо»"))
    press(app, term, .ctrl("u"))  // the key field has the focus again
    type(app, "demo")
    press(app, term, .ctrl("s"))
    #expect(app.current is PipelineEditorScreen)
    #expect(editor.stages.map(\.key).prefix(3) == ["interest", "offer", "demo"])
    #expect(term.style(of: "demo")?.reverse == true)
  }

  @Test func leadSourcesAndLostReasonsAreSimpleLists() throws {
    let data = try ReportsData()
    let (app, term, _) = try editor(data)
    press(app, term, .char("S"))
    #expect(term.line(1).contains("Источники"))
    #expect(term.style(of: "site")?.reverse == true)
    press(app, term, .enter)
    press(app, term, .ctrl("u"))
    type(app, "Сайт компании")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Сайт компании"))
    press(app, term, .char("J"))
    #expect(try PipelineService(db: data.db, language: .ru).leadSources()[1].key == "site")
    press(app, term, .char("q"), .char("q"))
    #expect(app.current is ReportsScreen)
    press(app, term, .tab)
    #expect(term.text.contains("Сайт компании"))
    press(app, term, .char("e"), .char("L"))
    #expect(term.line(1).contains("Причины проигрыша"))
    press(app, term, .char("G"), .char("a"))
    type(app, "Сменился директор")
    press(app, term, .ctrl("s"))
    let reasons = try PipelineService(db: data.db, language: .ru).lostReasons()
    #expect(reasons.last == Choice(key: "Сменился директор", name: "Сменился директор"))
    press(app, term, .char("a"))
    type(app, "Дорого")
    press(app, term, .tab, .tab)
    type(app, "price")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("«price» указан дважды"))
    press(app, term, .escape, .char("y"))
    #expect(term.text.contains("Список не изменён."))
    press(app, term, .char("d"), .char("y"))
    #expect(
      try PipelineService(db: data.db, language: .ru).lostReasons().count == reasons.count - 1)
  }
}
