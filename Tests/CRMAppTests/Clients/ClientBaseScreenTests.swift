import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// Three clients of anna with different completeness, payments, two snapshots.
@MainActor
struct ClientBaseData {
  let clock = HandClock(novemberSecond)
  let db: CRMDatabase
  let anna: User
  var ids: [String: Int64] = [:]

  init() throws {
    db = try CRMDatabase(memory: clock)
    anna = try #require(try db.user(login: "anna"))
    let clients = ClientService(db: db, userId: anna.id, language: .ru)
    ids["full"] = try clients.add(
      Client(
        name: "Полная", legalForm: "ООО", inn: "7707083893", phones: [Phone("+7 495 123-45-67")],
        emails: ["a@b.ru"], city: "Казань", legalAddress: "ул. Баумана, 1", leadSource: "сайт",
        segment: "VIP"))
    _ = try clients.addPerson(ContactPerson(clientId: ids["full"]!, name: "Иван"))
    ids["bare"] = try clients.add(Client(name: "Пустая", legalForm: "АО"))
    ids["half"] = try clients.add(
      Client(name: "Половина", legalForm: "ООО", city: "Тула", segment: "Постоянный"))
    let db = db
    func pay(_ client: Int64, _ date: String, _ amount: Int64) throws {
      try db.write { d in
        try d.execute(
          sql: """
            INSERT INTO payment (client_id, source, state, date, amount, currency, created_at,
              updated_at) VALUES (?, 'cash', 'assigned', ?, ?, 'RUB', 0, 0)
            """, arguments: [client, date, amount])
      }
    }
    try pay(ids["full"]!, "2026-09-10", 900_000_00)
    try pay(ids["half"]!, "2026-09-10", 100_000_00)
    let classes = ClassificationService(db: db, userId: anna.id, language: .ru)
    try classes.classify(day: "2026-09-30")
    try pay(ids["half"]!, "2026-10-10", 100_000_00)
    try pay(ids["bare"]!, "2026-10-20", 5_000_000_00)
    try classes.classify(day: "2026-10-31")
  }

  func app(lang: Language = .ru) -> (App, MemoryTerminal) {
    let context = AppContext(db: db, user: anna, language: lang, timeZone: utc)
    let term = MemoryTerminal(rows: 24, cols: 80)
    let app = App(term: term, context: context)
    app.handle(.char("6"))
    app.render()
    return (app, term)
  }
}

@MainActor
@Suite struct ClientBaseScreenTests {
  func screenText(_ term: MemoryTerminal) -> String {
    (0..<24).map { term.line($0) }.joined(separator: "\n")
  }

  @Test func completenessShowsBarsAndOpensTheWorstClient() throws {
    let data = try ClientBaseData()
    let (app, term) = data.app()
    #expect(term.line(1).contains("Полнота") && term.line(1).contains("ABC/XYZ"))
    for _ in 0..<3 { app.handle(.tab) }
    app.render()
    let screen = try #require(app.current as? ReportsScreen)
    #expect(screen.section == .completeness)
    #expect(term.style(of: " Полнота ")?.reverse == true)
    let text = screenText(term)
    #expect(text.contains("Клиентская база · полей в расчёте: 9 · все"))
    #expect(text.contains("Клиентов 3"))
    // ИНН: 1 of 3 companies; the bar is a third of its column.
    let inn = try #require((0..<24).map { term.line($0) }.first { $0.contains(" ИНН ") })
    #expect(inn.contains("33%") && inn.contains("1/3"))
    let phone = try #require((0..<24).map { term.line($0) }.first { $0.contains(" телефон ") })
    #expect(phone.contains("█") && phone.contains("1/3"))
    #expect(text.contains("Неполные: 2, сначала худшие"))
    // The worst first, selected; j moves down, Enter opens the card.
    let worst = try #require((0..<24).map { term.line($0) }.first { $0.contains("АО «Пустая»") })
    #expect(worst.contains("11%"))
    #expect(term.style(of: "АО «Пустая»")?.reverse == true)
    app.handle(.char("j"))
    app.render()
    #expect(term.style(of: "ООО «Половина»")?.reverse == true)
    app.handle(.enter)
    app.render()
    let card = try #require(app.current as? ClientCardScreen)
    #expect(card.clientId == data.ids["half"])
    #expect(screenText(term).contains("Половина"))
  }

  @Test func segmentsAndClassesFitEightyColumns() throws {
    let data = try ClientBaseData()
    let (app, term) = data.app()
    for _ in 0..<4 { app.handle(.tab) }
    app.render()
    var text = screenText(term)
    #expect(text.contains("Сегмент"))
    let vip = try #require((0..<24).map { term.line($0) }.first { $0.contains(" VIP ") })
    #expect(vip.contains("33%"))
    #expect(text.contains("(без сегм.)"))
    app.handle(.tab)
    app.render()
    text = screenText(term)
    #expect(text.contains("снимок №2 на 31.10.2026"))
    let a = try #require((0..<24).map { term.line($0) }.first { $0.hasPrefix(" A ") })
    #expect(a.contains("1"))
    #expect(text.contains("ABC × XYZ"))
    // Scroll to the movement matrix.
    for _ in 0..<12 { app.handle(.char("j")) }
    app.render()
    text = screenText(term)
    #expect(text.contains("Движение ABC 30.09.2026 → 31.10.2026"))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) <= 80) }
    // English too.
    let (en, enTerm) = data.app(lang: .en)
    for _ in 0..<5 { en.handle(.tab) }
    en.render()
    #expect(screenText(enTerm).contains("snapshot №2 of 2026-10-31"))
  }

  @Test func anEmptyBaseExplainsHowToGetASnapshotInFullAtEightyColumns() throws {
    let db = try CRMDatabase(memory: HandClock(novemberSecond))
    let context = AppContext(
      db: db, user: try db.user(login: "anna"), language: .ru, timeZone: utc)
    let term = MemoryTerminal(rows: 24, cols: 80)
    let app = App(term: term, context: context)
    app.handle(.char("6"))
    for _ in 0..<5 { app.handle(.tab) }
    app.render()
    let text = screenText(term)
    #expect(text.contains("Снимков ABC/XYZ пока нет."))
    // The hint is not cut at the right edge.
    #expect(text.contains("docs/classification.md."))
  }
}
