import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// The small things a manager meets in the first hour: a person has a name (not a title), the
/// reminder reads "за 15 мин", a quick-added client is selected, notes and counts are whole.
@MainActor
@Suite struct FirstHourTests {
  @Test func theContactPersonFormAsksForANameNotATitle() throws {
    let (app, term, db, _, _, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    _ = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
    app.render()
    press(app, term, .enter, .tab, .char("a"))
    #expect(term.text.contains("Новое контактное лицо"))
    let labels = term.text
    #expect(labels.contains(" Имя"))
    #expect(!labels.contains("Название"))
    // Saving without a name names the field the form shows.
    press(app, term, .ctrl("s"))
    #expect(
      term.text.contains("Имя: не может быть пустым") || term.text.contains("не может быть пустым"))
    #expect(!term.text.contains("Название"))
  }

  @Test func theReminderReadsFifteenMinutesBeforeAndSavesBackUnchanged() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let id = try clients.add(Client(name: "Обычный"))
    let due = noon.addingTimeInterval(3600)
    let planned = try contacts.plan(
      Contact(clientId: id, kind: .call, dueAt: due, durationMinutes: 90, userId: me))
    press(app, term, .char("3"), .char("e"))
    #expect(app.current is ContactFormScreen)
    let text = term.text
    #expect(text.contains("за 15 мин"), "\(text)")
    #expect(text.contains("1 ч 30 мин"))
    #expect(!text.contains("15m"))
    press(app, term, .ctrl("s"))
    let saved = try #require(try contacts.contact(planned)?.contact)
    #expect(saved.remindAt == due.addingTimeInterval(-15 * 60))
    #expect(saved.durationMinutes == 90)
    // English reads it back the same way.
    #expect(Length.before(minutes: 60, .en) == "1 h before")
    #expect(Length.strippingBefore("1 h before") == "1 h")
    #expect(Length.strippingBefore("за 2 ч") == "2 ч")
    #expect(Length.text(minutes: 2880, .ru) == "2 дн")
    for minutes in [5, 15, 60, 90, 1440, 2880] {
      for l in Language.allCases {
        let typed = Length.strippingBefore(Length.before(minutes: minutes, l))
        #expect(
          try When.duration(typed, language: l, field: "x") == Double(minutes * 60), "\(typed)")
      }
    }
  }

  @Test func aQuickAddedClientIsSelectedEvenWhenTheSearchHidesIt() throws {
    let (app, term, db) = try makeApp(demo: 60)
    app.render()
    press(app, term, .char("a"))
    type(app, "Мастерская Лесная")
    press(app, term, .ctrl("s"))
    let screen = try #require(app.current as? ClientsScreen)
    let row = try #require(screen.selectedRow)
    #expect(row.name == "Мастерская Лесная")
    #expect(term.style(of: "Мастерская Лесная")?.reverse == true)
    // A search that does not find the new client is cleared so it can be shown.
    press(app, term, .char("/"))
    type(app, "Импульс")
    press(app, term, .enter, .char("a"))
    type(app, "Ёлки-палки")
    press(app, term, .ctrl("s"))
    #expect(screen.query.search.isEmpty)
    #expect(screen.selectedRow?.name == "Ёлки-палки")
    #expect(term.style(of: "Ёлки-палки")?.reverse == true)
    // In another order too (by city, descending).
    press(app, term, .char("s"), .char("S"), .char("a"))
    type(app, "Ярмарка")
    press(app, term, .ctrl("s"))
    #expect(screen.query.sort == .city)
    #expect(screen.selectedRow?.name == "Ярмарка")
    _ = db
  }

  @Test func formNotesAreWholeAt80Columns() throws {
    let (app, term, _) = try makeApp(demo: 3)
    app.render()
    press(app, term, .char("a"), .tab, .tab)
    #expect(term.text.contains("организация или физлицо"), "\(term.text)")
    press(app, term, .escape)
    // A note too long to sit beside its field is written whole under the form.
    press(app, term, .char("l"), .char("c"))
    #expect(term.text.contains("чем закончилось"), "\(term.text)")
    press(app, term, .tab, .tab)
    #expect(
      term.text.contains("пусто — нет; +3d, завтра 10:00, пт 15:00, 25.11 10:00"), "\(term.text)")
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) <= 80) }
  }

  @Test func theRemindersSummaryNeverCutsACount() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let id = try clients.add(Client(name: "Обычный"))
    for i in 0..<3 {
      _ = try contacts.plan(
        Contact(
          clientId: id, kind: .call, dueAt: noon.addingTimeInterval(Double(i - 5) * 3600),
          userId: me))
    }
    press(app, term, .char("3"))
    let line = term.line(1)
    #expect(line.contains("просрочено: 3") || line.contains("просроч. 3"), "\(line)")
    // Whatever is shown ends in a whole count, never in a cut word or number.
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    #expect(trimmed.last?.isNumber == true, "\(line)")
  }
}
