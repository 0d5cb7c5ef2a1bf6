import CRMCore
import CRMExchange
import Foundation

/// E-mail messages: any bytes either parse or fail with a message (naming the part when the
/// failure is inside one); what is kept never holds control characters (it is shown in a
/// terminal), the text stays within its cap, and reading the headers alone agrees with the
/// whole parse.
enum MailChecks {
  static let t = FuzzTarget.mail

  static func check(_ data: Data) throws(FuzzViolation) {
    let bytes = [UInt8](data)
    let cap = 2048
    let options = MIMEParser.Options(textCap: cap)
    switch attempt({ () throws(MailParseError) in
      try MIMEParser.parse(bytes, options: options, language: .en)
    }) {
    case .failure(let error):
      try expect(
        !error.message.trimmingSpaces().isEmpty, t, "an error has a message", "\(error)")
      try expect(
        error.part.isEmpty || error.description.hasPrefix("part \(error.part): "), t,
        "an error names its part", error.description)
    case .success(let mail):
      for (what, s) in [("subject", mail.subject), ("message id", mail.messageId)]
        + mail.from.map({ ("from", $0.name + $0.address) }) + mail.files.map({ ("file", $0.name) })
      {
        try expect(
          !s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, t,
          "\(what) has no control characters", show(s))
      }
      try expect(
        !mail.text.unicodeScalars.contains {
          ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
        }, t, "the text has no control characters", show(mail.text))
      try expect(
        mail.text.utf8.count <= cap + 200, t, "the text stays within its cap",
        "\(mail.text.utf8.count) bytes")
      let again = attempt({ () throws(MailParseError) in
        try MIMEParser.parse(bytes, options: options, language: .en)
      })
      try expect(
        (try? again.get()) == mail, t, "parsing is deterministic", "two parses differ")
      switch attempt({ () throws(MailParseError) in
        try MIMEParser.headers(bytes, language: .en)
      }) {
      case .success(let head):
        try expect(
          head.from == mail.from && head.subject == mail.subject
            && head.messageId == mail.messageId && head.recipients == mail.recipients, t,
          "the headers alone read as in the whole parse", "\(head.from) vs \(mail.from)")
      case .failure(let e):
        throw FuzzViolation(t, "headers of a readable message read", e.description)
      }
    }
  }
}
