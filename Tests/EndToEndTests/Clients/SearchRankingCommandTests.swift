import Foundation
import Testing

/// `crm search` on a demo base ranks what a manager means first, as text and as JSON.
@Suite struct SearchRankingCommandTests {
  @Test func theClientNamedAsTypedAndTheExactINNComeFirst() throws {
    let s = Scratch()
    defer { s.remove() }
    let demo = try run(crmBinary, ["demo", "--db", s.db, "--clients", "3000", "--seed", "3"])
    #expect(demo.status == 0, "\(demo.err)")
    let alena = try crm(s, ["client", "add", "--name", "Алёна Фёдорова", "--kind", "person"])
    #expect(alena.status == 0, "\(alena.err)")
    let vector = try crm(
      s, ["client", "add", "--name", "Вектор", "--inn", "7707083893", "--notes", "старый ИНН"])
    #expect(vector.status == 0, "\(vector.err)")
    let other = try crm(s, ["client", "add", "--name", "Сигма", "--notes", "7707083893"])
    #expect(other.status == 0, "\(other.err)")

    let count = try crm(s, ["search", "федоров", "--json"])
    let all = try JSONSerialization.jsonObject(with: Data(count.out.utf8)) as? [[String: Any]]
    #expect((all?.count ?? 0) > 50, "many matches on the demo base")

    let text = try crm(s, ["search", "фёдорова", "алёна"])
    #expect(text.status == 0)
    #expect(
      text.out.split(separator: "\n").first?.contains("Алёна Фёдорова") == true, "\(text.out)")

    let inn = try crm(s, ["search", "7707083893", "--json"])
    let rows = try #require(
      try JSONSerialization.jsonObject(with: Data(inn.out.utf8)) as? [[String: Any]])
    #expect(rows.first?["name"] as? String == "Вектор")
    #expect(rows.first?["match"] as? String == "inn")
    #expect(rows.last?["name"] as? String == "Сигма")
    #expect(rows.last?["match"] as? String == "other")
    #expect(rows.last?["match_detail"] as? String == "notes")
    let innText = try crm(s, ["search", "7707083893"])
    #expect(innText.out.contains("(ИНН)") && innText.out.contains("(заметка)"), "\(innText.out)")
  }
}
