import CRMCore
import CRMExchange
import Foundation
import Testing

@Suite struct JSONOutputTests {
  @Test func clientJSONKeepsCyrillicAndHasStableKeys() throws {
    var c = Client(
      id: 7, name: "Ромашка", legalForm: "ООО", inn: "7707083893",
      phones: [Phone("8 (495) 123-45-67")],
      emails: ["info@romashka.ru"], tags: ["опт"])
    c.createdAt = Date(timeIntervalSince1970: 0)
    let person = ContactPerson(id: 3, clientId: 7, name: "Семёнов Пётр", position: "Директор")
    let text = JSONText.text(ClientJSON.object(c, persons: [person], owner: "anna"))
    #expect(text.contains("\"display_name\" : \"ООО «Ромашка»\""))
    #expect(text.contains("\"created_at\" : \"1970-01-01T00:00:00Z\""))
    #expect(text.contains("\"deleted_at\" : null"))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let phones = try #require(object["phones"] as? [[String: Any]])
    #expect(phones.first?["e164"] as? String == "+74951234567")
    #expect(phones.first?["raw"] as? String == "8 (495) 123-45-67")
    #expect((object["persons"] as? [[String: Any]])?.first?["name"] as? String == "Семёнов Пётр")
    #expect(object["owner"] as? String == "anna")
  }

  @Test func rowJSONIsAnArrayOfObjectsWithIdAndName() throws {
    let rows = [
      ClientRow(
        id: 1, name: "АО «Вектор»", city: "Казань", phone: "", segment: "VIP", owner: "",
        lastContact: nil, deletedAt: nil)
    ]
    let text = JSONText.text(rows.map(ClientJSON.object))
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    #expect(array.count == 1)
    #expect(array[0]["id"] as? Int == 1)
    #expect(array[0]["name"] as? String == "АО «Вектор»")
    #expect(array[0]["last_contact"] is NSNull)
  }
}
