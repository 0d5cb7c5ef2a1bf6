import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// root (admin), anna (manager) and vera (supervisor) at Monday noon UTC; the app runs as
/// `login`.
@MainActor
func teamApp(as login: String = "anna", rows: Int = 24, cols: Int = 80, lang: Language = .ru)
  throws -> (App, MemoryTerminal, CRMDatabase, [String: Int64])
{
  let clock = HandClock(noon)
  let db = try CRMDatabase(memory: clock)
  var ids: [String: Int64] = [:]
  for l in ["root", "anna", "vera"] { ids[l] = try #require(try db.user(login: l)).id }
  try db.write { db in
    try db.execute(sql: "UPDATE app_user SET role = 'supervisor' WHERE login = 'vera'")
  }
  let user = try #require(try db.findUser(login: login))
  let context = AppContext(db: db, user: user, language: lang, timeZone: utc)
  let term = MemoryTerminal(rows: rows, cols: cols)
  return (App(term: term, context: context), term, db, ids)
}

@MainActor
@Suite struct TaskScreenTests {
  func give(
    _ db: CRMDatabase, _ ids: [String: Int64], _ title: String, due: Date,
    client: Int64? = nil, kind: ContactKind? = nil
  ) throws -> Int64 {
    try TaskService(db: db, userId: ids["vera"], language: .ru, timeZone: utc).add(
      NewTask(
        assigneeId: ids["anna"]!, title: title, dueAt: due, clientId: client, contactKind: kind))
  }

  @Test func remindersShowTodosAndDMarksOneDone() throws {
    let (app, term, db, ids) = try teamApp()
    let late = try give(db, ids, "Сверка с бухгалтерией", due: noon.addingTimeInterval(-3 * 3600))
    _ = try give(db, ids, "Отчёт за неделю", due: noon.addingTimeInterval(3 * 3600))
    _ = try give(db, ids, "Через неделю", due: noon.addingTimeInterval(7 * 86400))
    press(app, term, .char("3"))
    #expect(app.current is RemindersScreen)
    #expect(term.text.contains("задачи: 2"))
    #expect(term.text.contains("☐ Задача: Сверка с бухгалтерией"))
    #expect(term.text.contains("☐ Задача: Отчёт за неделю"))
    #expect(term.text.contains("от vera"))
    #expect(!term.text.contains("Через неделю"))
    // The first row is the overdue to-do: d marks it done.
    press(app, term, .char("d"))
    #expect(
      try TaskService(db: db, userId: ids["anna"], language: .ru).task(late)?.status == .done)
    #expect(!term.text.contains("☐ Задача: Сверка с бухгалтерией"))
    #expect(term.text.contains("задачи: 1"))
  }

  @Test func aContactTaskIsMarkedAsGivenByTheSupervisor() throws {
    let (app, term, db, ids) = try teamApp()
    let client = try ClientService(db: db, userId: ids["anna"], language: .ru).add(
      Client(name: "Ромашка", legalForm: "ООО", ownerId: ids["anna"]))
    _ = try give(
      db, ids, "Обсудить скидку", due: noon.addingTimeInterval(-600), client: client, kind: .call)
    press(app, term, .char("3"))
    #expect(term.text.contains("ООО «Ромашка» · от vera"))
    #expect(term.text.contains("Обсудить скидку"))
  }

  @Test func calendarShowsATodoAtItsDueTime() throws {
    let (app, term, db, ids) = try teamApp()
    let id = try give(db, ids, "Позвонить юристу", due: noon.addingTimeInterval(2 * 3600))
    press(app, term, .char("2"))
    let cal = try #require(app.current as? CalendarScreen)
    #expect(term.text.contains("☐ Задача"))
    press(app, term, .char("D"))  // the day view
    #expect(term.text.contains("14:00"))
    #expect(term.text.contains("☐ Задача: Позвонить юристу"))
    #expect(term.text.contains("от vera"))
    #expect(cal.items.contains { $0.id == -id })
    press(app, term, .char("d"))
    #expect(try TaskService(db: db, userId: ids["anna"], language: .ru).task(id)?.status == .done)
    #expect(!term.text.contains("Позвонить юристу"))
  }

  @Test func tasksScreenFromRemindersForTheManager() throws {
    let (app, term, db, ids) = try teamApp()
    _ = try give(db, ids, "Старое дело", due: noon.addingTimeInterval(-86400))
    _ = try give(db, ids, "Новое дело", due: noon.addingTimeInterval(86400))
    press(app, term, .char("3"), .char("T"))
    let screen = try #require(app.current as? TasksScreen)
    #expect(!screen.given)
    #expect(term.text.contains("Задачи · мне · открытые · 2"))
    #expect(term.text.contains("просрочена"))
    #expect(term.text.contains("☐ Старое дело"))
    #expect(term.style(of: "☐ Старое дело")?.color == .red)
    #expect(term.style(of: "☐ Старое дело")?.bold == true)
    // f cycles the status: overdue only.
    press(app, term, .char("f"))
    #expect(screen.filter == .overdue)
    #expect(!term.text.contains("Новое дело"))
    press(app, term, .char("q"))
    #expect(app.current is RemindersScreen)
  }

  @Test func tasksScreenForTheSupervisorShowsWhatSheGave() throws {
    let (app, term, db, ids) = try teamApp(as: "vera")
    _ = try give(db, ids, "Отчёт", due: noon.addingTimeInterval(3600))
    press(app, term, .char("3"), .char("T"))
    let screen = try #require(app.current as? TasksScreen)
    #expect(screen.given)
    #expect(term.text.contains("я дал(а)"))
    #expect(term.text.contains("anna"))
    #expect(term.text.contains("☐ Отчёт"))
    // x cancels after a question.
    press(app, term, .char("x"))
    #expect(term.text.contains("Отменить задачу?"))
    press(app, term, .char("y"))
    #expect(!term.text.contains("☐ Отчёт"))
    press(app, term, .char("f"), .char("f"), .char("f"))  // all
    #expect(term.text.contains("отменена"))
    press(app, term, .char("a"))
    #expect(!screen.given)
    #expect(term.text.contains("Задач нет"))
    // The hint is wrapped, not cut, at 80 columns (it was cut before "все.").
    #expect(term.text.contains("выполненные /\n") && term.text.contains("\n  все."))
  }

  @Test func englishAt80x24() throws {
    let (app, term, db, ids) = try teamApp(lang: .en)
    _ = try give(db, ids, "Quarterly report", due: noon.addingTimeInterval(-3600))
    press(app, term, .char("3"))
    #expect(term.text.contains("☐ Task: Quarterly report"))
    press(app, term, .char("T"))
    #expect(term.text.contains("Tasks · mine · open · 1"))
  }

  @Test func reportsShowCampaignsWithResults() throws {
    let (app, term, db, ids) = try teamApp(as: "vera")
    let clients = ClientService(db: db, userId: ids["anna"], language: .ru)
    for name in ["Альфа", "Бета", "Гамма"] {
      _ = try clients.add(Client(name: name, segment: "VIP", ownerId: ids["anna"]))
    }
    let plan = try CampaignService(db: db, userId: ids["vera"], language: .ru, timeZone: utc)
      .create(
        NewCampaign(
          name: "Зима", channel: .call, from: noon, to: noon.addingTimeInterval(5 * 86400),
          target: .inline(ClientFilter(segment: "VIP"))))
    #expect(plan.planned == 3)
    press(app, term, .char("6"))
    for _ in 0..<ReportsScreen.Section.campaigns.rawValue { press(app, term, .tab) }
    let screen = try #require(app.current as? ReportsScreen)
    #expect(screen.section == .campaigns)
    #expect(term.text.contains("Маркетинг · кампаний: 1"))
    #expect(term.text.contains("№1 Зима · звонок"))
    #expect(term.text.contains("Интерес"))
  }

  @Test func paneShowsTodosFirst() throws {
    let (_, _, db, ids) = try teamApp()
    _ = try give(db, ids, "Сверка", due: noon.addingTimeInterval(-2 * 3600))
    _ = try give(db, ids, "Завтрашнее", due: noon.addingTimeInterval(86400))
    let anna = try #require(try db.findUser(login: "anna"))
    let term = MemoryTerminal(rows: 8, cols: 60)
    let context = AppContext(db: db, user: anna, language: .ru, timeZone: utc)
    let pane = Pane(
      term: term, context: context, scope: .user(anna.id), bell: {}, notify: { _ in })
    #expect(pane.tick())
    #expect(term.text.contains("☐ Задача: Сверка — от vera"))
    #expect(term.text.contains("+2 ч"))
    #expect(!term.text.contains("Завтрашнее"))
  }

  @Test func theClientsFilterFormSavesAFilter() throws {
    let (app, term, db, ids) = try teamApp(as: "vera")
    _ = try ClientService(db: db, userId: ids["anna"], language: .ru).add(
      Client(name: "Альфа", segment: "VIP", ownerId: ids["anna"]))
    (app.current as! ClientsScreen).reload()
    press(app, term, .char("f"))
    type(app, "VIP")
    press(app, term, .tab, .tab, .tab)
    type(app, "Мои VIP")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Фильтр сохранён: Мои VIP"))
    let saved = try SavedFilterService(db: db, userId: ids["vera"], language: .ru).named("мои vip")
    #expect(saved.filter == ClientFilter(segment: "VIP"))
    #expect((app.current as! ClientsScreen).query.segment == "VIP")
  }
}
