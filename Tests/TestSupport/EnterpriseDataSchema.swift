import Foundation

/// Validates an EnterpriseData message with xmllint against 1C's published schema of its format
/// version (Tests/CRMExchangeTests/Fixtures/real/enterprisedata, see SOURCES.md there).
///
/// The schemas are XSD exports of 1C's XDTO packages: they declare types only, no global
/// elements, and import the message namespace without a location. So the check builds, in a
/// scratch folder, copies that differ from the kept files only by
/// - `schemaLocation` on the import of `http://www.1c.ru/SSL/Exchange/Message`;
/// - global declarations of the envelope, as 1C's exchange writes it: `msg:Header` (type
///   `msg:Header`) and `Body` in the format's namespace holding `Документ.РеализацияТоваровУслуг`
///   elements (type of that name);
/// and a driver schema for the unqualified root `Message` (msg:Header, then Body). Every type
/// the documents use is the published one, untouched.
public enum EnterpriseDataSchema {
  /// The kept schema of each format version we can check.
  public static let files: [String: String] = [
    "1.6": "EnterpriseData_1_6_23.xsd",
    "1.8": "EnterpriseData_1_8_6.xsd",
  ]

  public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent(
      "CRMExchangeTests/Fixtures/real/enterprisedata")

  public struct Result: Sendable {
    /// xmllint's exit status: 0 when the message validates.
    public var status: Int32
    /// What xmllint printed (errors name the line and the element).
    public var output: String
    public var valid: Bool { status == 0 }
  }

  public enum Failure: Error {
    case noSchema(String)
    case noXmllint
    case badSchema(String)
  }

  /// Runs `xmllint --noout --schema` on `message` for `version` (`"1.8"`).
  public static func validate(_ message: Data, version: String) throws -> Result {
    guard let file = files[version] else { throw Failure.noSchema(version) }
    let xmllint = "/usr/bin/xmllint"
    guard FileManager.default.isExecutableFile(atPath: xmllint) else { throw Failure.noXmllint }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ed-schema-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }

    let msgNS = "http://www.1c.ru/SSL/Exchange/Message"
    let edNS = "http://v8.1c.ru/edi/edi_stnd/EnterpriseData/" + version
    var msg = try text(folder.appendingPathComponent("ExchangeMessage.xsd"))
    msg = try replacingOnce(
      msg, "</xs:schema>", "<xs:element name=\"Header\" type=\"tns:Header\"/></xs:schema>")
    var ed = try text(folder.appendingPathComponent(file))
    guard ed.contains("targetNamespace=\"\(edNS)\"") else { throw Failure.badSchema(file) }
    ed = try replacingOnce(
      ed, "<xs:import namespace=\"\(msgNS)\"/>",
      "<xs:import namespace=\"\(msgNS)\" schemaLocation=\"msg.xsd\"/>")
    ed = try replacingOnce(
      ed, "</xs:schema>",
      """
      <xs:element name="Body"><xs:complexType><xs:sequence>\
      <xs:element name="Документ.РеализацияТоваровУслуг" type="tns:Документ.РеализацияТоваровУслуг" \
      minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element></xs:schema>
      """)
    let driver = """
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:msg="\(msgNS)" xmlns:ed="\(edNS)">
      <xs:import namespace="\(msgNS)" schemaLocation="msg.xsd"/>
      <xs:import namespace="\(edNS)" schemaLocation="ed.xsd"/>
      <xs:element name="Message"><xs:complexType><xs:sequence>
      <xs:element ref="msg:Header"/><xs:element ref="ed:Body"/>
      </xs:sequence></xs:complexType></xs:element>
      </xs:schema>
      """
    try Data(msg.utf8).write(to: dir.appendingPathComponent("msg.xsd"))
    try Data(ed.utf8).write(to: dir.appendingPathComponent("ed.xsd"))
    try Data(driver.utf8).write(to: dir.appendingPathComponent("message.xsd"))
    let input = dir.appendingPathComponent("message.xml")
    try message.write(to: input)

    let p = Process()
    p.executableURL = URL(fileURLWithPath: xmllint)
    p.arguments = [
      "--noout", "--nonet", "--schema", dir.appendingPathComponent("message.xsd").path, input.path,
    ]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(status: p.terminationStatus, output: String(decoding: out, as: UTF8.self))
  }

  /// The file's text without its byte-order mark.
  private static func text(_ url: URL) throws -> String {
    var s = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
    return s
  }

  private static func replacingOnce(_ s: String, _ what: String, _ with: String) throws -> String {
    guard let r = s.range(of: what) else { throw Failure.badSchema(what) }
    return s.replacingCharacters(in: r, with: with)
  }
}
