import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation

// MARK: crm mail

struct MailCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mail",
    abstract: tr(
      "Log e-mail as contacts: one message from mutt/aerc, or whole Maildirs.",
      "Записывать почту как контакты: одно письмо из mutt/aerc или целые Maildir."),
    subcommands: [MailLogCmd.self, MailSyncCmd.self, MailThreadCmd.self])
}

extension Global {
  /// The user's own addresses: `mail_from` of the config file, `$EMAIL`, `login@host`.
  func ownMailAddresses() throws -> Set<String> {
    MailLog.ownAddresses(mailFrom: try userConfig().mailFrom, environment: env, login: login)
  }
}

/// How a client is named in lists of candidates.
func mailMatchLine(_ m: MailMatch, _ l: Language) -> String {
  var s = "  №\(m.clientId) \(m.clientName)"
  if let p = m.personName { s += " — \(p)" }
  return s + " <\(m.address)>"
}

// MARK: crm mail log

struct MailLogCmd: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: tr(
      "Log one e-mail message read on standard input (mutt's pipe-message, aerc's :pipe).",
      "Записать одно письмо со стандартного ввода (pipe-message в mutt, :pipe в aerc)."),
    discussion: tr(
      """
      The message is outgoing when From is one of your addresses (mail_from in your config \
      file, $EMAIL, login@host), incoming otherwise. The other side is matched to clients and \
      contact persons by e-mail; when no client or several match, give --client ID. Logging \
      the same Message-ID again changes nothing.
      mutt/neomutt: macro index,pager L "<pipe-message>crm mail log<enter>"
      aerc (binds.conf): L = :pipe -m crm mail log<Enter>
      """,
      """
      Письмо исходящее, если From — ваш адрес (mail_from в вашем файле настроек, $EMAIL, \
      логин@хост), иначе входящее. Другая сторона ищется среди клиентов и контактных лиц по \
      e-mail; если не нашлось никого или нашлись несколько, укажите --client ID. Повторная \
      запись того же Message-ID ничего не меняет.
      mutt/neomutt: macro index,pager L "<pipe-message>crm mail log<enter>"
      aerc (binds.conf): L = :pipe -m crm mail log<Enter>
      """))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "The client to log the message to (when the address matches none or several).",
      "Клиент, к которому записать письмо (если адрес не нашёлся или нашлось несколько)."))
  var client: Int64?
  @Flag(
    help: tr(
      "Force the direction (by default from your own addresses).",
      "Задать направление (по умолчанию — по вашим адресам)."))
  var direction: Direction?
  @Option(
    help: tr(
      "Read the message from this file instead of standard input.",
      "Прочитать письмо из этого файла, а не со стандартного ввода."))
  var file: String?

  enum Direction: String, EnumerableFlag {
    case `in`, out
    static func help(for value: Direction) -> ArgumentHelp? {
      value == .in
        ? tr("An incoming message.", "Входящее письмо.")
        : tr("An outgoing message.", "Исходящее письмо.")
    }
  }

  func readMessage() throws -> [UInt8] {
    let l = global.language
    let limit = 64 * 1024 * 1024
    let data: Data
    if let file {
      guard let d = FileManager.default.contents(atPath: file) else {
        throw Failure(message: l.pick("cannot read \(file)", "не читается \(file)"), code: 2)
      }
      data = d
    } else {
      data = FileHandle.standardInput.readDataToEndOfFile()
    }
    guard data.count <= limit else {
      throw Failure(
        message: l.pick(
          "the message is larger than 64 MB; not logged", "письмо больше 64 МБ; не записано"),
        code: 1)
    }
    guard !data.isEmpty else {
      throw Failure(
        message: l.pick(
          "no message on standard input (pipe one in: crm mail log < message.eml)",
          "на стандартном вводе нет письма (передайте его: crm mail log < письмо.eml)"),
        code: 1)
    }
    return [UInt8](data)
  }

  func run(_ session: Session) throws {
    let l = global.language
    let bytes = try readMessage()
    let mail: ParsedMail
    do {
      mail = try MIMEParser.parse(bytes, language: l)
    } catch {
      throw Failure(
        message: l.pick("the message is not logged: ", "письмо не записано: ")
          + error.description, code: 1)
    }
    for w in mail.warnings { writeError("crm: " + l.pick("warning: ", "предупреждение: ") + w) }
    let service = session.context.mail
    let forced: ContactDirection? = direction.map { $0 == .in ? .incoming : .outgoing }
    let sides = MailLog.sides(
      mail, own: try global.ownMailAddresses(), forced: forced, book: try service.addressBook())
    let targets: [MailMatch]
    if let client {
      targets = [try service.target(clientId: client, addresses: sides.counterparts)]
    } else if sides.matches.count == 1 {
      targets = sides.matches
    } else if sides.matches.isEmpty {
      let who = sides.counterparts.isEmpty ? "—" : sides.counterparts.joined(separator: ", ")
      throw Failure(
        message: l.pick(
          "no client has the address \(who); give the client: crm mail log --client ID",
          "ни у одного клиента нет адреса \(who); укажите клиента: crm mail log --client ID"),
        code: 1)
    } else {
      throw Failure(
        message: l.pick(
          "several clients have these addresses; choose one with --client ID:\n",
          "эти адреса есть у нескольких клиентов; выберите одного: --client ID:\n")
          + sides.matches.map { mailMatchLine($0, l) }.joined(separator: "\n"),
        code: 1)
    }
    let record = MailLog.record(
      mail, direction: sides.direction, fallbackDate: session.database.clock.now())
    let results = try service.log(record, to: targets)
    for (r, t) in zip(results, targets) {
      switch r {
      case .logged(let id, _):
        let arrow =
          record.direction == .incoming
          ? l.pick("incoming", "входящее")
          : l.pick("outgoing", "исходящее")
        print(
          l.pick(
            "logged contact №\(id) (e-mail, \(arrow)) for «\(t.clientName)»",
            "записан контакт №\(id) (e-mail, \(arrow)) клиента «\(t.clientName)»"))
      case .already:
        print(
          l.pick(
            "already logged for «\(t.clientName)» (Message-ID \(record.messageId))",
            "уже записано у клиента «\(t.clientName)» (Message-ID \(record.messageId))"))
      }
    }
  }
}

// MARK: crm mail sync

struct MailSyncCmd: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: tr(
      "Log the messages of Maildirs that are to or from a known client.",
      "Записать письма из Maildir, адресованные клиентам или пришедшие от них."),
    discussion: tr(
      """
      Reads new/ and cur/ of each Maildir; files read before are not read again (also after \
      they move to cur/ or get new flags). Quiet unless --verbose: one summary line, warnings \
      on standard error. Exit code 0, or 1 when some entries were skipped. For cron:
      */10 * * * * crm mail sync ~/Mail/INBOX ~/Mail/Sent
      """,
      """
      Читает new/ и cur/ каждого Maildir; прочитанные раньше файлы не читаются снова (и после \
      переноса в cur/ или смены флагов). Без --verbose выводит одну итоговую строку, \
      предупреждения — в поток ошибок. Код выхода 0, или 1, если какие-то файлы пропущены. \
      Для cron:
      */10 * * * * crm mail sync ~/Mail/INBOX ~/Mail/Sent
      """))
  @OptionGroup var global: Global
  @Argument(help: tr("Maildir folders.", "Папки Maildir.")) var maildirs: [String]
  @Flag(
    help: tr(
      "Include the Maildir++ subfolders (.Sent, .Archive…) of each folder.",
      "Включить подпапки Maildir++ (.Sent, .Archive…) каждой папки."))
  var subfolders = false
  @Flag(
    help: tr(
      "Read every file again (after adding clients' addresses).",
      "Прочитать все файлы заново (после добавления адресов клиентов)."))
  var rescan = false
  @Flag(
    help: tr("Name each message logged.", "Назвать каждое записанное письмо."))
  var verbose = false
  @Flag(help: tr("Print nothing when nothing is new.", "Ничего не выводить, если нового нет."))
  var quiet = false

  func run(_ session: Session) throws {
    let l = global.language
    var options = MaildirSync.Options(
      own: try global.ownMailAddresses(), rescan: rescan, subfolders: subfolders)
    options.batchSize = 1000
    let sync = MaildirSync(service: session.context.mail, options: options)
    let s = try sync.run(maildirs)
    if verbose { for line in s.loggedLines { print(line) } }
    for w in s.skipped { writeError("crm: " + l.pick("skipped ", "пропущено ") + w) }
    if verbose {
      for w in s.warnings { writeError("crm: " + l.pick("warning: ", "предупреждение: ") + w) }
    }
    if !(quiet && s.new == 0) {
      print(
        l.pick(
          "\(s.folders) folders, \(s.files) files, \(s.new) new: \(s.logged) logged, "
            + "\(s.already) already logged, \(s.unrelated) not about clients, "
            + "\(s.skipped.count) skipped",
          "папок \(s.folders), файлов \(s.files), новых \(s.new): записано \(s.logged), "
            + "уже было \(s.already), не о клиентах \(s.unrelated), пропущено \(s.skipped.count)"))
    }
    if !s.skipped.isEmpty { throw ExitCode(1) }
  }
}

// MARK: crm mail thread

struct MailThreadCmd: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "thread",
    abstract: tr("A client's logged mail, newest first.", "Записанная почта клиента, новые сверху.")
  )
  @OptionGroup var global: Global
  @Option(help: tr("The client.", "Клиент.")) var client: Int64
  @Option(help: tr("At most this many messages.", "Не больше стольких писем.")) var limit = 50
  @Flag(help: tr("Print the text of each message.", "Вывести текст каждого письма."))
  var text = false
  @OptionGroup var output: JSONOutput
  static var readOnly: Bool { true }

  func run(_ session: Session) throws {
    let service = session.context.mail
    let items = try service.thread(clientId: client, limit: max(1, limit))
    let f = global.formats
    if output.json {
      printJSON(
        try items.map { m -> [String: Any] in
          [
            "id": m.id, "contact_id": m.contactId, "direction": m.direction.rawValue,
            "sent_at": JSONText.iso(m.sentAt), "from": m.from, "to": m.to,
            "subject": m.subject, "attachments": m.attachmentNames,
            "text": text ? (try service.body(messageRowId: m.id) ?? "") : "",
          ]
        })
      return
    }
    for m in items {
      let arrow = m.direction == .incoming ? "←" : "→"
      let who = m.direction == .incoming ? m.from : m.to
      print("\(f.dateTime(m.sentAt)) \(arrow) \(who) — \(m.subject)")
      if !m.attachmentNames.isEmpty { print("  📎 " + m.attachmentNames.joined(separator: ", ")) }
      if text, let body = try service.body(messageRowId: m.id) {
        print(
          body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            .joined(separator: "\n"))
        print("")
      }
    }
  }
}
