import Foundation
import Testing

/// Users and what a refused command must leave as it was.
private func users(_ s: Scratch) throws -> String {
  try sqlite(
    s,
    """
    SELECT login, role, team, active FROM app_user ORDER BY id;
    SELECT count(*) FROM change_set; SELECT key, value FROM setting ORDER BY key;
    """)
}

@Suite(.serialized) struct TeamCommandTests {
  @Test func adminManagesUsersAndVisibilityLimitsAManager() throws {
    let s = Scratch()
    defer { s.remove() }
    // anna ($USER) is the first user, so admin.
    let anna1 = try addClient(s, "Вектор")
    _ = try ok(
      s, ["user", "add", "boris", "--role", "manager", "--name", "Борис", "--team", "east"])
    _ = try ok(s, ["user", "add", "vera", "--role", "manager", "--team", "east"])
    let boris1 = try ok(s, ["client", "add", "--name", "Ромашка", "--user", "boris"])
    let boris2 = try ok(s, ["client", "add", "--name", "Лютик", "--user", "boris"])
    let list = try jsonArray(s, ["user", "list"])
    #expect(list.map { $0["login"] as? String } == ["anna", "boris", "vera"])
    #expect(list.map { $0["role"] as? String } == ["admin", "manager", "manager"])
    #expect(list.map { $0["clients"] as? Int } == [1, 2, 0])
    #expect(list[1]["name"] as? String == "Борис")
    #expect(list[1]["team"] as? String == "east")
    #expect(list.allSatisfy { $0["active"] as? Bool == true })

    // A manager may not change users or settings: exit 1, a clear message, nothing changed.
    let before = try users(s)
    for args in [
      ["user", "add", "gleb", "--role", "manager"], ["user", "set-role", "vera", "admin"],
      ["user", "deactivate", "vera"], ["settings", "set", "visibility", "own"],
    ] {
      let r = try crm(s, args + ["--user", "boris"], lang: "en")
      #expect(r.status == 1, "\(args)")
      #expect(r.err.contains("needs the role admin"), "\(r.err)")
      #expect(r.err.contains("Nothing was changed"), "\(r.err)")
    }
    #expect(try users(s) == before)

    // The admin turns visibility to own: boris sees only his clients.
    #expect(try ok(s, ["settings", "set", "visibility", "own"]) == "visibility = own")
    let mine = try jsonArray(s, ["client", "list", "--user", "boris"])
    #expect(Set(mine.compactMap { ($0["id"] as? Int).map(String.init) }) == [boris1, boris2])
    let all = try jsonArray(s, ["client", "list"])
    #expect(all.count == 3)
    let shown = try crm(s, ["client", "show", anna1, "--user", "boris"], lang: "en")
    #expect(shown.status == 1)
    #expect(shown.err.contains("no client with id \(anna1)"), "\(shown.err)")
    let found = try crm(s, ["search", "Вектор", "--json", "--user", "boris"])
    #expect(
      try json(found.out) as? [Any] == nil || (try json(found.out) as? [Any])?.isEmpty == true)
    let exported = s.dir + "/boris.json"
    _ = try ok(s, ["export", "json", "--out", exported, "--user", "boris"])
    let text = try String(contentsOfFile: exported, encoding: .utf8)
    #expect(text.contains("Ромашка") && text.contains("Лютик"))
    #expect(!text.contains("Вектор"))

    // Deactivating boris needs --move-to (no terminal here); with it everything goes to vera.
    let refused = try crm(s, ["user", "deactivate", "boris"], lang: "en")
    #expect(refused.status == 1)
    #expect(refused.err.contains("2 clients"), "\(refused.err)")
    #expect(refused.err.contains("--move-to"), "\(refused.err)")
    let moved = try ok(s, ["user", "deactivate", "boris", "--move-to", "vera"], lang: "en")
    #expect(moved.contains("clients 2"), "\(moved)")
    let after = try jsonArray(s, ["user", "list"])
    #expect(after.map { $0["clients"] as? Int } == [1, 0, 2])
    #expect(after[1]["active"] as? Bool == false)
    let gone = try crm(s, ["client", "list", "--user", "boris"], lang: "en")
    #expect(gone.status == 1)
    #expect(gone.err.contains("deactivated"), "\(gone.err)")
    // set-role by the admin.
    _ = try ok(s, ["user", "set-role", "vera", "supervisor"])
    #expect(try jsonArray(s, ["user", "list"])[2]["role"] as? String == "supervisor")
  }

  @Test func closedSignupRefusesAnUnknownLogin() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s, "Вектор")
    _ = try ok(s, ["settings", "set", "user_signup", "closed"])
    let r = try crm(s, ["client", "list", "--user", "zed"], lang: "en")
    #expect(r.status == 1)
    #expect(r.err.contains("no user «zed»"), "\(r.err)")
    #expect(r.err.contains("crm user add zed --role manager"), "\(r.err)")
    #expect(try sqlite(s, "SELECT count(*) FROM app_user WHERE login = 'zed'") == "0\n")
    _ = try ok(s, ["user", "add", "zed", "--role", "manager"])
    #expect(try crm(s, ["client", "list", "--user", "zed"]).status == 0)
  }
}
