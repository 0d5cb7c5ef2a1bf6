import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

@MainActor
@Suite struct ClientListScreenTests {
  @Test func clientListAt80x24ShowsCyrillicNamesHeaderAndHints() throws {
    let (app, term, _) = try makeApp(demo: 200)
    app.render()
    let text = term.text
    #expect(term.line(0).contains("1 Клиенты"))
    #expect(term.line(0).contains("6 Отчёты"))
    #expect(text.contains("Поиск:"))
    #expect(text.contains("клиентов: 200"))
    #expect(term.line(2).contains("Название ▲"))
    #expect(term.line(2).contains("Город"))
    #expect(!term.line(2).contains("Ответственный"))  // no room at 80 columns
    #expect(term.line(3).contains("«") || term.line(3).contains("ИП "))  // Cyrillic sorts first
    #expect(term.style(of: String(term.line(3).prefix(6)))?.reverse == true)
    #expect(term.line(23).contains("справка"))
    #expect(term.line(23).contains("поиск"))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
  }

  @Test func clientListAt200x60ShowsAllColumns() throws {
    let (app, term, _) = try makeApp(rows: 60, cols: 200, lang: .en, demo: 200)
    app.render()
    let header = term.line(2)
    for title in ["Name ▲", "City", "Phone", "Segment", "Owner", "Last contact"] {
      #expect(header.contains(title), "\(title)")
    }
    #expect(term.text.contains("200 clients"))
    // 60 rows: header, search, column titles, 56 data rows, message, hints.
    #expect(term.line(58).trimmingCharacters(in: .whitespaces).isEmpty)
    #expect(!term.line(57).trimmingCharacters(in: .whitespaces).isEmpty)
  }

  @Test func typingASearchNarrowsTheList() throws {
    let (app, term, db) = try makeApp(demo: 300)
    let s = ClientService(db: db, userId: nil, language: .ru)
    try s.add(Client(name: "Ёжик в тумане", legalForm: "ООО", phones: [Phone("+7 495 111-22-33")]))
    let clients = app.current as! ClientsScreen
    clients.reload()
    press(app, term, .char("/"))
    #expect(clients.searching)
    type(app, "ежик")
    #expect(term.text.contains("клиентов: 1"))
    #expect(term.text.contains("ООО «Ёжик в тумане»"))
    // The cursor stands in the search box, right after the text.
    #expect(term.frame.cursor?.row == 1)
    press(app, term, .escape)
    #expect(term.text.contains("клиентов: 301"))
    press(app, term, .char("/"))
    type(app, "111-22")
    #expect(term.text.contains("Ёжик"))
    #expect(term.text.contains("клиентов: 1"))
    press(app, term, .enter)
    #expect(!clients.searching)
    press(app, term, .enter)
    #expect(app.current is ClientCardScreen)
    #expect(term.line(1).contains("ООО «Ёжик в тумане»"))
  }

  @Test func navigationKeysScrollTheVirtualList() throws {
    let (app, term, _) = try makeApp(demo: 100)
    let clients = app.current as! ClientsScreen
    app.render()
    press(app, term, .char("G"))
    #expect(clients.list.selected == 99)
    #expect(clients.rows.count <= 19)
    press(app, term, .char("g"))
    #expect(clients.list.selected == 0)
    press(app, term, .pageDown)
    #expect(clients.list.selected == clients.list.visible)
    press(app, term, .char("о"))  // j in the Russian layout
    #expect(clients.list.selected == clients.list.visible + 1)
  }

  @Test func commonWordsShowAnOpenCountThatBecomesExactAtTheEnd() throws {
    let (app, term, db) = try makeApp(demo: 2400)
    let clients = app.current as! ClientsScreen
    app.render()
    #expect(term.text.contains("клиентов: 2\u{00A0}400"))  // the whole list is always exact
    press(app, term, .char("/"))
    type(app, "а")
    let exact = try db.count(ClientListQuery(search: "а"))
    #expect(exact > ClientsScreen.initialCap)
    #expect(term.text.contains("клиентов: более 1\u{00A0}000"))
    press(app, term, .enter)
    press(app, term, .char("G"))
    #expect(clients.list.selected == exact - 1)
    #expect(term.text.contains("клиентов: \(app.context.formats.integer(exact))"))
    press(app, term, .char("g"))
    for _ in 0..<60 { app.handle(.pageDown) }
    app.render()
    #expect(clients.list.selected == min(exact - 1, 60 * clients.list.visible))
  }

  @Test func quickAddWithTheKeyboard() throws {
    let (app, term, db) = try makeApp()
    app.render()
    #expect(term.text.contains("Клиентов пока нет"))
    press(app, term, .char("a"))
    #expect(term.text.contains("Новый клиент"))
    type(app, "Рога и копыта")
    press(app, term, .tab)
    type(app, "8 (812) 555-12-34")
    press(app, term, .ctrl("s"))
    #expect(app.current is ClientsScreen)
    #expect(term.text.contains("Клиент «Рога и копыта» добавлен"))
    #expect(term.text.contains("Рога и копыта"))
    let row = try #require(try db.page(ClientListQuery(search: "рога"), offset: 0, limit: 5).first)
    #expect(row.phone == "8 (812) 555-12-34")
  }

  @Test func quickAddShowsLikelyDuplicatesBeforeSaving() throws {
    let (app, term, db) = try makeApp()
    let s = ClientService(db: db, userId: nil, language: .ru)
    try s.add(Client(name: "Ромашка", legalForm: "ООО", phones: [Phone("+7 495 123-45-67")]))
    (app.current as! ClientsScreen).reload()
    press(app, term, .char("a"))
    type(app, "Ромашка")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Возможно, такой клиент уже есть"))
    #expect(term.text.contains("похожее название"))
    #expect(try db.count(ClientListQuery()) == 1)
    press(app, term, .ctrl("s"))
    #expect(try db.count(ClientListQuery()) == 2)
  }

  @Test func invalidINNIsShownBesideTheField() throws {
    let (app, term, db) = try makeApp()
    press(app, term, .char("a"))
    type(app, "Вектор")
    for _ in 0..<4 { app.handle(.tab) }
    type(app, "7707083894")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("неверная контрольная цифра"))
    let row = try #require(term.row(containing: "неверная"))
    #expect(term.line(row).contains("ИНН"))
    #expect(term.style(of: "неверная")?.color == .red)
    #expect(try db.count(ClientListQuery()) == 0)
  }

  @Test func deleteAsksThenUndoBringsBack() throws {
    let (app, term, db) = try makeApp()
    let s = ClientService(db: db, userId: app.context.user?.id, language: .ru)
    try s.add(Client(name: "Вектор", legalForm: "АО"))
    (app.current as! ClientsScreen).reload()
    press(app, term, .char("d"))
    #expect(term.text.contains("Переместить АО «Вектор» в корзину?"))
    press(app, term, .char("n"))
    #expect(try db.count(ClientListQuery()) == 1)
    press(app, term, .char("d"))
    press(app, term, .char("y"))
    #expect(try db.count(ClientListQuery()) == 0)
    #expect(term.text.contains("в корзине"))
    press(app, term, .char("t"))
    #expect(term.text.contains("Корзина"))
    #expect(term.text.contains("Вектор"))
    press(app, term, .char("t"))
    press(app, term, .char("u"))
    #expect(term.text.contains("Отменить: перемещение «АО «Вектор»» в корзину?"))
    #expect(try db.count(ClientListQuery()) == 0)  // nothing before the answer
    press(app, term, .char("y"))
    #expect(try db.count(ClientListQuery()) == 1)
    #expect(term.text.contains("Отменено"))
  }

  @Test func sortAndFilter() throws {
    let (app, term, db) = try makeApp(rows: 30, cols: 160, lang: .en, demo: 50)
    let clients = app.current as! ClientsScreen
    press(app, term, .char("s"))
    #expect(clients.query.sort == .city)
    #expect(term.line(2).contains("City ▲"))
    press(app, term, .char("S"))
    #expect(term.line(2).contains("City ▼"))
    press(app, term, .char("f"))
    press(app, term, .escape)
    #expect(term.text.contains("Filter unchanged."))
    press(app, term, .char("f"))
    type(app, "VIP")
    press(app, term, .ctrl("s"))
    let vip = try db.count(ClientListQuery(segment: "VIP"))
    #expect(term.text.contains("\(vip) clients · segment VIP"))
  }
}

@MainActor
@Suite struct OverlayAndLayoutTests {
  @Test func helpOverlayListsTheScreensKeys() throws {
    let (app, term, _) = try makeApp(lang: .en)
    press(app, term, .char("?"))
    let text = term.text
    #expect(text.contains("search as you type"))
    #expect(text.contains("quick add a client"))
    // Taller than 24 rows: it scrolls, and says so.
    #expect(text.contains("scroll, other keys close"))
    press(app, term, .char("x"))
    #expect(!term.text.contains("scroll, other keys close"))
  }

  @Test func tooSmallNoticeAndResize() throws {
    let (app, term, _) = try makeApp(demo: 10)
    app.render()
    term.resize(rows: 20, cols: 60)
    app.handle(term.readKey()!)
    app.render()
    #expect(term.text.contains("слишком маленькое"))
    #expect(term.text.contains("60×20"))
    app.handle(.char("a"))  // ignored while too small
    #expect(app.current is ClientsScreen)
    term.resize(rows: 40, cols: 120)
    app.handle(term.readKey()!)
    app.render()
    #expect(!term.text.contains("слишком маленькое"))
    #expect(term.line(2).contains("Ответственный"))
  }

  @Test func digitsSwitchScreensAndPlaceholdersSayWhatWillBeThere() throws {
    let (app, term, _) = try makeApp()
    press(app, term, .char("5"))
    // Tab 5 is the activity screen now (no placeholder left there).
    #expect(app.current is ActivityScreen)
    #expect(term.text.contains("неделя "))
    #expect(term.style(of: "5 Активность")?.reverse == false)
    press(app, term, .char("1"))
    #expect(app.current is ClientsScreen)
  }

  @Test func escapeSequencesInNamesAreNeverDrawnRaw() throws {
    let (app, term, db) = try makeApp()
    try db.write { db in
      try db.execute(
        sql:
          "INSERT INTO client (kind, name, name_key, created_at, updated_at) VALUES ('company', ?, 'x', 0, 0)",
        arguments: ["Злой\u{1B}]0;hacked\u{07}клиент"])
    }
    (app.current as! ClientsScreen).reload()
    app.render()
    #expect(!term.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    #expect(term.text.contains("Злой\u{FFFD}]0;hacked\u{FFFD}клиент"))
  }

  @Test func readOnlyDatabaseShowsABannerAndRefusesChanges() throws {
    let dir = NSTemporaryDirectory() + "termcrm-ro-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/crm.sqlite"
    do {
      let rw = try CRMDatabase(path: path)
      try ClientService(db: rw, userId: nil, language: .ru).add(Client(name: "Ромашка"))
    }
    let (app, term, _) = try makeApp(db: try CRMDatabase(path: path, readOnly: true))
    app.render()
    #expect(term.line(1).contains("ТОЛЬКО ЧТЕНИЕ"))
    #expect(term.text.contains("Ромашка"))
    press(app, term, .char("d"))
    press(app, term, .char("y"))
    #expect(term.text.contains("только для чтения"))
  }

  @Test func keysDocumentIsUpToDate() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../../docs/keys.md").standardized
    let onDisk = try String(contentsOf: url, encoding: .utf8)
    #expect(onDisk == KeyTables.markdown(), "docs/keys.md is stale: run `crm keys > docs/keys.md`")
  }
}

@MainActor
@Suite struct ClientCardTests {
  @Test func cardShowsRequisitesPersonsAndHistory() throws {
    let (app, term, db) = try makeApp(rows: 30, cols: 100)
    let s = ClientService(db: db, userId: app.context.user?.id, language: .ru)
    let id = try s.add(
      Client(
        name: "Ромашка", legalForm: "ООО", inn: "7707083893", phones: [Phone("8 (495) 123-45-67")],
        city: "Москва"))
    (app.current as! ClientsScreen).reload()
    press(app, term, .enter)
    #expect(term.text.contains("ИНН"))
    #expect(term.text.contains("7707083893"))
    #expect(term.text.contains("8 (495) 123-45-67 (+74951234567)"))
    press(app, term, .tab)
    #expect(term.text.contains("Контактных лиц нет"))
    press(app, term, .char("a"))
    type(app, "Семёнов Пётр")
    press(app, term, .tab)
    type(app, "Директор")
    press(app, term, .ctrl("s"))
    #expect(try s.persons(of: id).map(\.name) == ["Семёнов Пётр"])
    #expect(term.text.contains("Семёнов Пётр"))
    // Eight sections with their counts do not fit 100 columns with the long «Контактные лица».
    #expect(term.text.contains("Лица (1)"))
    press(app, term, .tab)
    #expect(term.text.contains("Контактов пока нет"))
    press(app, term, .tab)
    #expect(term.text.contains("История"))
    #expect(term.text.contains("anna"))
    #expect(term.text.contains("лицо Имя: — → Семёнов Пётр"))
    press(app, term, .char("q"))
    #expect(app.current is ClientsScreen)
  }
}
