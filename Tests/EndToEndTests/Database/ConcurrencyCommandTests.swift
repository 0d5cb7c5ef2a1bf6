import Foundation
import Testing

@Suite(.serialized) struct ConcurrencyCommandTests {
  @Test func anEditAgainstAVersionChangedMeanwhileExitsOneAndSavesNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    let id = try addClient(s)
    _ = try ok(s, ["user", "add", "boris", "--role", "supervisor"])
    #expect(try jsonObject(s, ["client", "show", id])["version"] as? Int == 1)
    // boris saves a new city: version 2.
    let saved = try jsonObject(s, ["client", "edit", id, "--city", "Тверь", "--user", "boris"])
    #expect(saved["version"] as? Int == 2)
    // anna's script read version 1 and now changes the city: refused, in Russian and English.
    let ru = try crm(s, ["client", "edit", id, "--city", "Омск", "--expect-version", "1"])
    #expect(ru.status == 1)
    #expect(ru.err.contains("клиент №\(id)"))
    #expect(ru.err.contains("boris"))
    #expect(ru.err.contains("city"))
    #expect(ru.err.contains("Ничего не сохранено; выполните команду ещё раз"))
    let en = try crm(
      s, ["client", "edit", id, "--notes", "x", "--expect-version", "1"], lang: "en")
    #expect(en.status == 1)
    #expect(en.err.contains("was changed by boris"))
    #expect(en.err.contains("Nothing was saved; run the command again"))
    let shown = try jsonObject(s, ["client", "show", id])
    #expect(shown["city"] as? String == "Тверь")
    #expect(shown["notes"] as? String == "")
    #expect(shown["version"] as? Int == 2)
    // With the current version it goes through.
    let next = try jsonObject(
      s, ["client", "edit", id, "--city", "Омск", "--expect-version", "2"])
    #expect(next["version"] as? Int == 3)
  }

  @Test func aDealEditAgainstAStaleVersionExitsOne() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    _ = try ok(s, ["deal", "add", "--client", client, "--title", "Поставка"])
    let id = try #require(try sqlite(s, "SELECT max(id) FROM deal").split(separator: "\n").first)
    _ = try ok(s, ["deal", "edit", String(id), "--title", "Поставка-2"])
    let r = try crm(s, ["deal", "edit", String(id), "--title", "Иное", "--expect-version", "1"])
    #expect(r.status == 1)
    #expect(r.err.contains("сделка №\(id)") && r.err.contains("title"))
    #expect(try sqlite(s, "SELECT title, version FROM deal WHERE id = \(id)") == "Поставка-2|2\n")
  }

  @Test func theShortStressRunPasses() throws {
    let s = Scratch()
    defer { s.remove() }
    let r = try crm(
      s,
      ["stress", "concurrency", "--processes", "4", "--readers", "2", "--seconds", "3", "--json"])
    #expect(r.status == 0, "\(r.out)\n\(r.err)")
    let o = try #require(try json(r.out) as? [String: Any])
    #expect(o["busy_errors"] as? Int == 0)
    #expect(o["lost_updates"] as? Int == 0)
    #expect(o["errors"] as? Int == 0)
    #expect((o["saves"] as? Int ?? 0) > 0)
    #expect(o["ok"] as? Bool == true)
  }

  /// The check can fail: the same run saving without row versions (last writer wins) loses
  /// updates, and the harness says so and exits 1.
  @Test func withoutRowVersionsTheHarnessFindsLostUpdates() throws {
    let s = Scratch()
    defer { s.remove() }
    let r = try crm(
      s,
      [
        "stress", "concurrency", "--processes", "4", "--readers", "0", "--seconds", "3",
        "--shared", "1", "--without-versions", "--json",
      ])
    #expect(r.status == 1, "\(r.out)\n\(r.err)")
    let o = try #require(try json(r.out) as? [String: Any])
    #expect((o["lost_updates"] as? Int ?? 0) > 0)
    #expect(o["ok"] as? Bool == false)
  }
}
