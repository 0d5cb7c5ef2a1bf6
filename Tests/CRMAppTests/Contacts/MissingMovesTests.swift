import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// The moves a manager expects in the first hour (issue #20, items 12–15 and 17): the
/// calendar's client picker, owners by name, cancelling from the card, opening a stuck deal,
/// outcomes from a list.
@MainActor
@Suite struct MissingMovesTests {
  @Test func calendarAddPicksTheClientFromAListInsteadOfAskingItsNumber() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    _ = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
    let romb = try clients.add(Client(name: "Ромб", city: "Тула"))
    press(app, term, .char("2"))
    press(app, term, .char("l"))  // Tuesday 24.11
    press(app, term, .char("a"))
    #expect(app.current is PickerScreen)
    #expect(term.text.contains("Запланировать на 24.11.2026: клиент"))
    type(app, "ром")
    #expect(term.text.contains("Ромашка"))
    let row = try #require(term.row(containing: "Ромб"))
    #expect(term.line(row).contains("Тула"))
    #expect(!term.text.contains("подходят несколько"))
    press(app, term, .down, .enter)
    #expect(app.current is ContactFormScreen)
    #expect(term.text.contains("Запланировать контакт: Ромб"))
    press(app, term, .ctrl("s"))
    #expect(app.current is CalendarScreen)
    #expect(term.text.contains("Запланировано на 24.11.2026 10:00"))
    let planned = try contacts.list(scope: .everyone, clientId: romb)
    #expect(planned.count == 1)
    #expect(planned.first?.contact.dueAt == noon.addingTimeInterval(22 * 3600))
    // Esc in the picker plans nothing.
    press(app, term, .char("a"), .escape)
    #expect(term.text.contains("Ничего не запланировано."))
  }

  func name(_ db: CRMDatabase, _ login: String, _ name: String) throws {
    _ = try db.user(login: login)
    try db.queue.write { d in
      try d.execute(sql: "UPDATE app_user SET name = ? WHERE login = ?", arguments: [name, login])
    }
  }

  @Test func ownerFiltersTakeNamesAndSayWhoFitsWhenSeveralDo() throws {
    let f = try FunnelFixture()
    try name(f.db, "anna", "Анна Смирнова")
    try name(f.db, "boris", "Борис Ёлкин")
    try name(f.db, "annap", "Анна Петрова")
    try f.deal("Моя")
    try f.deal(
      "Борисова", owner: f.boris,
      client: try f.clients.add(Client(name: "Берёзка", ownerId: f.boris)))
    // The funnel: «елкин» is Борис Ёлкин.
    f.press(.char("4"), .char("f"))
    #expect(f.term.text.contains("мои/все/имя"))
    f.press(.ctrl("u"))
    f.type("елкин")
    f.press(.ctrl("s"))
    #expect(f.app.current is FunnelScreen)
    #expect(f.term.text.contains("Борисова") && !f.term.text.contains("Моя"))
    // «Анна» fits two people: the form says who and stays open.
    f.press(.char("f"), .ctrl("u"))
    f.type("Анна")
    f.press(.ctrl("s"))
    #expect(f.app.current is DealFilterScreen)
    #expect(f.term.text.contains("подходят несколько: Анна Петрова (annap), Анна Смирнова (anna)"))
    f.type(" смир")
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("Моя") && !f.term.text.contains("Борисова"))
    // The client list: by name too.
    f.press(.char("1"), .char("f"), .tab)
    #expect(f.term.text.contains("имя/логин"))
    f.type("Борис")
    f.press(.ctrl("s"))
    #expect(f.app.current is ClientsScreen)
    #expect(f.term.text.contains("Берёзка") && !f.term.text.contains("Ромашка"))
    let list = try #require(f.app.current as? ClientsScreen)
    #expect(list.query.ownerId == f.boris)
    // Whose calendar: a name too.
    f.press(.char("2"), .char("u"))
    f.type("ёлкин")
    f.press(.ctrl("s"))
    let calendar = try #require(f.app.current as? CalendarScreen)
    #expect(calendar.scope == .user(f.boris))
    #expect(f.term.line(1).contains("boris"))
  }

  @Test func xInTheClientCardCancelsThePlannedContact() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let id = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
    let call = try contacts.plan(
      Contact(
        clientId: id, kind: .call, dueAt: noon.addingTimeInterval(86400), subject: "Объём",
        userId: me))
    (app.current as! ClientsScreen).reload()
    app.render()
    press(app, term, .enter)
    #expect(app.current is ClientCardScreen)
    // Outside Contacts x says where it works.
    press(app, term, .char("x"))
    #expect(term.text.contains("x отменяет запланированный контакт"))
    press(app, term, .tab, .tab)
    #expect(term.text.contains("Объём"))
    press(app, term, .char("x"))
    #expect(term.text.contains("Отменить «звонок» с ООО «Ромашка»?"), "\(term.text)")
    press(app, term, .char("y"))
    #expect(term.text.contains("Контакт отменён."))
    #expect(try contacts.contact(call)?.contact.status == .cancelled)
    // A cancelled contact is not cancelled again.
    press(app, term, .char("x"))
    #expect(term.text.contains("Этот контакт уже"))
  }

  @Test func enterOnAStuckDealOpensItsCard() throws {
    let data = try ReportsData()
    let (app, term) = data.app()
    press(app, term, .tab, .tab)
    // At 80 columns the section row takes its one-word titles.
    #expect(term.style(of: " Зависшие")?.reverse == true)
    // The first (most days over) is selected; j moves to the second.
    #expect(term.style(of: "АО «Вектор»")?.reverse == true)
    press(app, term, .char("j"))
    #expect(term.style(of: "АО «Вектор»")?.reverse != true)
    let e = try #require(term.row(containing: "Поставка"))
    #expect(term.style(of: "Поставка")?.reverse == true)
    press(app, term, .enter)
    let card = try #require(app.current as? DealCardScreen)
    #expect(card.dealId == data.ids["E"])
    #expect(term.text.contains("Сделка №\(data.ids["E"]!): Поставка"))
    #expect(term.text.contains("зависла"))
    // Moving it on from the card: back in the report it is no longer stuck.
    press(app, term, .char(">"))
    press(app, term, .char("q"))
    #expect(app.current is ReportsScreen)
    #expect(term.row(containing: "Поставка") == nil)
    #expect(term.row(containing: "АО «Вектор»") != nil)
    _ = e
  }

  @Test func theOutcomeOffersTheProcessListAndRecentOnesStillTakingText() throws {
    let (app, term, db, clock, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let id = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
    try contacts.log(clientId: id, kind: .call, outcome: "Просят перезвонить после праздников")
    clock.current = noon.addingTimeInterval(600)
    (app.current as! ClientsScreen).reload()
    app.render()
    press(app, term, .char("l"), .char("c"))
    #expect(app.current is OutcomeFormScreen)
    #expect(term.text.contains("F4 или ^O — выбрать из списка"))
    #expect(term.text.contains("Договорились о встрече"))
    #expect(term.text.contains("Просят перезвонить после праздников · недавний"))
    // F4: the pick list, filtered by typing; Enter takes the entry.
    press(app, term, .function(4))
    #expect(app.current is PickerScreen)
    #expect(term.text.contains("Результат: выберите из списка или введите свой"))
    type(app, "встреч")
    #expect(term.text.contains("Договорились о встрече"))
    #expect(!term.text.contains("Не интересно"))
    press(app, term, .enter)
    #expect(app.current is OutcomeFormScreen)
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Записано."))
    var done = try contacts.list(scope: .everyone, clientId: id).map(\.contact.outcome)
    #expect(done.contains("Договорились о встрече"))
    // ^O with text of one's own: it is offered as typed.
    clock.current = noon.addingTimeInterval(1200)
    press(app, term, .char("l"), .char("c"))
    type(app, "Тендер в марте")
    press(app, term, .ctrl("o"))
    #expect(term.text.contains("свой текст"))
    press(app, term, .enter, .ctrl("s"))
    done = try contacts.list(scope: .everyone, clientId: id).map(\.contact.outcome)
    #expect(done.contains("Тендер в марте"))
    // The newest outcome now leads the recent ones.
    press(app, term, .char("l"), .char("c"))
    let tender = try #require(term.row(containing: "Тендер в марте · недавний"))
    let holidays = try #require(term.row(containing: "праздников · недавний"))
    #expect(tender < holidays)
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
  }

  @Test func contactOutcomesAreEditedBesideTheOtherLists() throws {
    let data = try ReportsData()
    let (app, term) = data.app()
    press(app, term, .char("e"), .char("O"))
    #expect(term.text.contains("Результаты контактов"))
    #expect(term.text.contains("Договорились о встрече"))
  }
}
