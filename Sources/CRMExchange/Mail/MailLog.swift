import CRMCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Which side of a message is the client: whether it came in or went out, and the addresses
/// of the other side.
public struct MailSides: Equatable, Sendable {
  public var direction: ContactDirection
  /// The addresses of the other side (the sender of incoming mail, the recipients of outgoing).
  public var counterparts: [String]
  /// The clients those addresses belong to.
  public var matches: [MailMatch]
}

/// Turning a decoded message into what the core logs.
public enum MailLog {
  /// The user's own addresses: `mail_from` of the config file (several separated by commas),
  /// `$EMAIL`, and `login@host`.
  public static func ownAddresses(mailFrom: String?, environment: [String: String], login: String)
    -> Set<String>
  {
    var out = Set<String>()
    var dummy = Set<String>()
    for text in [mailFrom, environment["EMAIL"]].compactMap({ $0 }) {
      for a in MailHeader.addresses(text, unknown: &dummy) { out.insert(a.key) }
    }
    var name = [CChar](repeating: 0, count: 256)
    if gethostname(&name, 255) == 0 {
      let host = String(
        decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if !host.isEmpty && !login.isEmpty { out.insert("\(login)@\(host)".lowercased()) }
    }
    return out
  }

  /// Decides the direction and the other side: outgoing when forced or when the sender is one
  /// of `own`; incoming when forced or when the sender is a known client; otherwise the
  /// recipients that are known clients (outgoing unless own addresses are known and the sender
  /// is not one of them: mail about a client that copies the client).
  public static func sides(
    _ mail: ParsedMail, own: Set<String>, forced: ContactDirection?, book: MailAddressBook
  ) -> MailSides {
    let from = mail.from.map(\.key)
    let recipients = mail.recipients.map(\.key).filter { !own.contains($0) }
    func result(_ d: ContactDirection, _ a: [String]) -> MailSides {
      MailSides(direction: d, counterparts: a, matches: book.matches(a))
    }
    if let forced { return result(forced, forced == .incoming ? from : recipients) }
    if from.contains(where: own.contains) { return result(.outgoing, recipients) }
    let sender = result(.incoming, from)
    if !sender.matches.isEmpty { return sender }
    let others = result(.outgoing, recipients)
    if !others.matches.isEmpty {
      return own.isEmpty
        ? others
        : MailSides(
          direction: .incoming, counterparts: recipients, matches: others.matches)
    }
    return from.isEmpty ? others : sender
  }

  /// A Message-ID for a message without one, the same each time the same message is read:
  /// from a hash of its date, sender, recipients, subject and text.
  public static func stableId(_ mail: ParsedMail) -> String {
    var h1: UInt64 = 0xcbf2_9ce4_8422_2325
    var h2: UInt64 = 0x8422_2325_cbf2_9ce4
    func mix(_ s: String) {
      for b in s.utf8 {
        h1 = (h1 ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        h2 = (h2 ^ UInt64(b)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
      }
      h1 = (h1 ^ 0xff) &* 0x0000_0100_0000_01b3
    }
    mix(mail.date.map { "\($0.timeIntervalSince1970)" } ?? "")
    mix(mail.from.map(\.key).joined(separator: ","))
    mix(mail.recipients.map(\.key).joined(separator: ","))
    mix(mail.subject)
    mix(mail.text)
    return String(format: "no-id.%016llx%016llx@termcrm", h1, h2)
  }

  /// What the core stores for a message.
  public static func record(_ mail: ParsedMail, direction: ContactDirection, fallbackDate: Date)
    -> MailRecord
  {
    MailRecord(
      messageId: mail.messageId.isEmpty ? stableId(mail) : String(mail.messageId.prefix(500)),
      inReplyTo: String(mail.inReplyTo.prefix(500)), direction: direction,
      sentAt: mail.date ?? fallbackDate,
      from: mail.from.map(\.description).joined(separator: ", "),
      to: mail.recipients.map(\.description), subject: mail.subject, body: mail.text,
      attachmentNames: mail.files.map(\.name))
  }
}
