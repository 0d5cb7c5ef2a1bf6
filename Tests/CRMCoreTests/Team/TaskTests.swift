import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

extension WorkFixture {
  func tasks(as login: String) -> TaskService {
    TaskService(db: db, userId: users[login]?.id, language: .en, timeZone: moscow)
  }

  func ownedClient(_ name: String, owner: String) throws -> Int64 {
    try clients(owner).add(Client(name: name, ownerId: id(owner)))
  }
}

@Suite struct TaskTests {
  @Test func supervisorGivesAToDoAndTheManagerMarksItDone() throws {
    let f = try WorkFixture()
    try f.signIn("vera")
    let due = monday.addingTimeInterval(3600)
    let id = try f.tasks(as: "vera").add(
      NewTask(assigneeId: f.id("anna"), title: "Позвонить в банк", notes: "до обеда", dueAt: due))
    let t = try #require(try f.tasks(as: "vera").task(id))
    #expect(t.isTodo && t.status == .open && !t.overdue)
    #expect(t.assigneeLogin == "anna" && t.authorLogin == "vera")
    // Audited as a task of no client.
    #expect(
      try f.int(
        "SELECT count(*) FROM change_set WHERE entity = 'task' AND action = 'insert' AND client_id = 0"
      ) == 1)
    // Mine / given lists.
    #expect(try f.tasks(as: "anna").list(.mine).map(\.id) == [id])
    #expect(try f.tasks(as: "vera").list(.given).map(\.id) == [id])
    #expect(try f.tasks(as: "vera").list(.mine).isEmpty)
    // The author cannot mark another's to-do done; the assignee can.
    #expect(throws: CRMError.self) { try f.tasks(as: "vera").done(id) }
    try f.signIn("anna")
    #expect(throws: CRMError.self) { try f.tasks(as: "anna").cancel(id) }
    try f.tasks(as: "anna").done(id)
    #expect(try f.tasks(as: "anna").task(id)?.status == .done)
    #expect(try f.tasks(as: "anna").list(.mine).isEmpty)
    #expect(try f.tasks(as: "anna").list(.mine, filter: .done).map(\.id) == [id])
    #expect(
      try f.int("SELECT count(*) FROM change_set WHERE entity = 'task' AND action = 'done'") == 1)
    #expect(throws: CRMError.self) { try f.tasks(as: "anna").done(id) }  // already done
  }

  @Test func overdueFilterAndCancelByAuthor() throws {
    let f = try WorkFixture()
    try f.signIn("vera")
    let late = try f.tasks(as: "vera").add(
      NewTask(assigneeId: f.id("boris"), title: "Old", dueAt: monday.addingTimeInterval(-7200)))
    let later = try f.tasks(as: "vera").add(
      NewTask(assigneeId: f.id("boris"), title: "New", dueAt: monday.addingTimeInterval(86400)))
    #expect(try f.tasks(as: "vera").list(.given, filter: .overdue).map(\.id) == [late])
    #expect(try f.tasks(as: "vera").list(.given, filter: .open).map(\.id) == [late, later])
    #expect(try f.tasks(as: "vera").task(late)?.overdue == true)
    try f.tasks(as: "vera").cancel(later)
    #expect(try f.tasks(as: "vera").task(later)?.status == .cancelled)
    #expect(try f.tasks(as: "vera").list(.given, filter: .all).count == 2)
    // Paging.
    #expect(try f.tasks(as: "vera").list(.given, filter: .all, limit: 1, offset: 1).count == 1)
  }

  @Test func contactTaskIsAPlannedContactAndFollowsIt() throws {
    let f = try WorkFixture()
    let client = try f.ownedClient("ООО Ромашка", owner: "anna")
    try f.signIn("vera")
    let due = monday.addingTimeInterval(2 * 3600)
    let id = try f.tasks(as: "vera").add(
      NewTask(
        assigneeId: f.id("anna"), title: "Обсудить договор", dueAt: due, clientId: client,
        contactKind: .meeting))
    let t = try #require(try f.tasks(as: "vera").task(id))
    let contactId = try #require(t.contactId)
    let c = try #require(
      try ContactService(db: f.db, userId: f.id("anna"), language: .en).contact(contactId))
    #expect(c.contact.userId == f.id("anna") && c.contact.authorId == f.id("vera"))
    #expect(c.contact.status == .planned && c.contact.kind == .meeting)
    #expect(c.contact.remindAt == due.addingTimeInterval(-15 * 60))
    #expect(try f.tasks(as: "vera").givenBy(contacts: [contactId]) == [contactId: "vera"])
    // Postponing the contact moves the task; completing it completes the task.
    let cs = ContactService(db: f.db, userId: f.id("anna"), language: .en)
    try cs.postpone(contactId, to: due.addingTimeInterval(86400))
    #expect(try f.tasks(as: "vera").task(id)?.dueAt == due.addingTimeInterval(86400))
    _ = try cs.complete(contactId, outcome: "ок")
    #expect(try f.tasks(as: "vera").task(id)?.status == .done)
    // Audited under the client.
    #expect(
      try f.int(
        "SELECT count(*) FROM change_set WHERE entity = 'task' AND client_id = ?", [client]) == 1)
  }

  @Test func cancellingAContactTaskCancelsTheContact() throws {
    let f = try WorkFixture()
    let client = try f.ownedClient("Beta", owner: "boris")
    try f.signIn("vera")
    let id = try f.tasks(as: "vera").add(
      NewTask(
        assigneeId: f.id("boris"), title: "Call", dueAt: monday.addingTimeInterval(3600),
        clientId: client, contactKind: .call))
    try f.tasks(as: "vera").cancel(id)
    #expect(try f.tasks(as: "vera").task(id)?.status == .cancelled)
    #expect(try f.int("SELECT count(*) FROM contact WHERE status = 'cancelled'") == 1)
  }

  @Test func badInputChangesNothing() throws {
    let f = try WorkFixture()
    let client = try f.ownedClient("Gamma", owner: "anna")
    let due = monday.addingTimeInterval(3600)
    // A manager cannot give tasks.
    try f.signIn("boris")
    #expect(throws: CRMError.self) {
      try f.tasks(as: "boris").add(NewTask(assigneeId: f.id("anna"), title: "x", dueAt: due))
    }
    try f.signIn("vera")
    // An empty title, a contact without a client, an inactive assignee, an unknown client.
    #expect(throws: CRMError.self) {
      try f.tasks(as: "vera").add(NewTask(assigneeId: f.id("anna"), title: " ", dueAt: due))
    }
    #expect(throws: CRMError.self) {
      try f.tasks(as: "vera").add(
        NewTask(assigneeId: f.id("anna"), title: "x", dueAt: due, contactKind: .call))
    }
    try f.sql("UPDATE app_user SET active = 0 WHERE login = 'carl'")
    #expect(throws: CRMError.self) {
      try f.tasks(as: "vera").add(NewTask(assigneeId: f.id("carl"), title: "x", dueAt: due))
    }
    #expect(throws: CRMError.self) {
      try f.tasks(as: "vera").add(
        NewTask(assigneeId: f.id("anna"), title: "x", dueAt: due, clientId: 999))
    }
    // With "own clients only", boris cannot see anna's client: refused with his name.
    try f.signIn("root")  // settings are the admin's
    try f.setting("visibility", "own")
    try f.signIn("vera")
    do {
      try f.tasks(as: "vera").add(
        NewTask(assigneeId: f.id("boris"), title: "x", dueAt: due, clientId: client))
      Issue.record("expected a refusal")
    } catch {
      #expect(error.message(.en).contains("boris cannot see client №\(client)"))
    }
    #expect(try f.int("SELECT count(*) FROM task") == 0)
    #expect(try f.int("SELECT count(*) FROM contact") == 0)
  }

  @Test func openTodosForTheCalendar() throws {
    let f = try WorkFixture()
    try f.signIn("vera")
    let s = f.tasks(as: "vera")
    let a = try s.add(
      NewTask(assigneeId: f.id("anna"), title: "A", dueAt: monday.addingTimeInterval(3600)))
    _ = try s.add(
      NewTask(assigneeId: f.id("anna"), title: "B", dueAt: monday.addingTimeInterval(5 * 86400)))
    _ = try s.add(
      NewTask(assigneeId: f.id("boris"), title: "C", dueAt: monday.addingTimeInterval(3600)))
    let todos = try s.openTodos(assignee: f.id("anna"), to: monday.addingTimeInterval(86400))
    #expect(todos.map(\.id) == [a])
  }
}
