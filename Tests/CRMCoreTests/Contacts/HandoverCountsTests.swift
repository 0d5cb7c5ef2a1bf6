import CRMCore
import Foundation
import Testing

/// The handover screen asks with these counts before anything moves: they must be what the
/// handover then moves.
@Suite struct HandoverCountsTests {
  @Test func theCountsAreWhatTheHandoverMoves() throws {
    let f = try ContactFixture()
    let a = try f.client("Альфа")
    let b = try f.client("Бета")
    let theirs = try f.client("Чужой", owner: f.boris)
    let trashed = try f.client("Корзина")
    try f.clients.delete(trashed)
    try f.contacts.plan(Contact(clientId: a, kind: .call, dueAt: f.hours(3), userId: f.anna))
    try f.contacts.plan(Contact(clientId: a, kind: .call, dueAt: f.hours(4), userId: f.boris))
    try f.contacts.log(clientId: b, kind: .call)  // done: not moved
    let ids = [a, b, theirs, trashed]
    let byOwner = try f.db.clientsByOwner(ids)
    #expect(byOwner == [f.anna: [a, b], f.boris: [theirs]])
    let counts = try f.contacts.handoverCounts(from: f.anna, clientIds: ids, withDeals: true)
    #expect(counts == HandoverResult(clients: 2, contacts: 1, deals: 0))
    let carl = try #require(try f.db.user(login: "carl")).id
    let moved = try f.contacts.handover(from: f.anna, to: carl, clientIds: byOwner[f.anna]!)
    #expect(moved == counts)
  }
}
