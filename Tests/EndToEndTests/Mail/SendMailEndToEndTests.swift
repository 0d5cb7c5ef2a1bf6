import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Sending documents through a real mail path: `crm invoice send` hands the message to msmtp (a
/// real sendmail interface, from the user's config file), which delivers it over SMTP to a local
/// sink (Python's aiosmtpd); Python's `email` package reads what arrived. Nobody here wrote
/// msmtp, aiosmtpd or the reader.
@Suite(.serialized) struct SendMailEndToEndTests {
  static let python = "/usr/bin/python3"
  static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

  /// A running SMTP sink; `stop()` ends it and reaps it.
  struct Sink {
    let pid: pid_t
    let port: Int
    let folder: String

    static func start(in dir: String) throws -> Sink {
      let folder = dir + "/received"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let portFile = dir + "/sink.port"
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(
        &actions, 1, dir + "/sink.log", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
      let args = [python, here + "/smtp_sink.py", folder, portFile]
      let argv = args.map { strdup($0) } + [nil]
      defer { for p in argv { free(p) } }
      let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer { for p in envp { free(p) } }
      // The sink starts with no blocked signals (a test thread may block SIGTERM), so stop()
      // ends it.
      var attributes = posix_spawnattr_t()
      posix_spawnattr_init(&attributes)
      defer { posix_spawnattr_destroy(&attributes) }
      var empty = sigset_t()
      sigemptyset(&empty)
      posix_spawnattr_setsigmask(&attributes, &empty)
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
      var pid: pid_t = 0
      let rc = posix_spawn(&pid, python, &actions, &attributes, argv, envp)
      if rc != 0 { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
      // Waits for the port (the sink writes it once it listens), at most 20 s.
      for _ in 0..<200 {
        if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
          return Sink(pid: pid, port: port, folder: folder)
        }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
          let log = (try? String(contentsOfFile: dir + "/sink.log", encoding: .utf8)) ?? ""
          throw POSIXError(.ECHILD, userInfo: ["log": log])
        }
        usleep(100_000)
      }
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      throw POSIXError(.ETIMEDOUT)
    }

    func stop() {
      kill(pid, SIGTERM)
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    func messages() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasSuffix(".eml") }.sorted().map { folder + "/" + $0 }
    }
  }

  /// A private config folder: msmtp's file and TermCRM's config.toml with `mail_command`.
  static func configure(_ s: Scratch, port: Int, mailCommand: String? = nil) throws -> [String:
    String]
  {
    let xdg = s.dir + "/config"
    try FileManager.default.createDirectory(
      atPath: xdg + "/termcrm", withIntermediateDirectories: true)
    let rc = s.dir + "/msmtprc"
    try """
    account default
    host 127.0.0.1
    port \(port)
    from anna@romashka-soft.example
    auth off
    tls off
    syslog off
    """.write(toFile: rc, atomically: true, encoding: .utf8)
    chmod(rc, 0o600)
    let config = xdg + "/termcrm/config.toml"
    try """
    mail_from = "Анна Смирнова <anna@romashka-soft.example>"
    mail_command = "\(mailCommand ?? "msmtp -C \(rc) -t")"
    """.write(toFile: config, atomically: true, encoding: .utf8)
    chmod(config, 0o600)
    return ["XDG_CONFIG_HOME": xdg, "TZ": "Europe/Moscow", "USER": "anna", "LANG": "ru_RU.UTF-8"]
  }

  static func crmIn(_ s: Scratch, _ env: [String: String], _ args: [String]) throws -> (
    status: Int32, out: String, err: String
  ) {
    try run(crmBinary, args + ["--db", s.db, "--lang", "ru"], env: env)
  }

  static func sql(_ s: Scratch, _ query: String) throws -> String {
    try run("/usr/bin/sqlite3", [s.db, query]).out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A client with its own address and a contact person with another, and a draft invoice.
  static func clientWithInvoice(_ s: Scratch, _ env: [String: String]) throws -> String {
    var r = try crmIn(
      s, env,
      [
        "client", "add", "--name", "Ёлочка", "--legal-form", "ООО", "--email",
        "office@elochka.example",
      ])
    #expect(r.status == 0, "\(r.err)")
    let client = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try sql(
      s,
      """
      INSERT INTO contact_person (client_id, name, created_at, updated_at)
        VALUES (\(client), 'Пётр Сергеевич Жуков', 0, 0);
      INSERT INTO email (client_id, person_id, position, address, address_key)
        VALUES (\(client), last_insert_rowid(), 0, 'zhukov@elochka.example', 'zhukov@elochka.example');
      """)
    r = try crmIn(s, env, companyAdd(name: "ООО «Ромашка-Софт»"))
    #expect(r.status == 0, "\(r.err)")
    r = try crmIn(
      s, env, ["invoice", "add", "--client", client, "--sum", "15000", "--draft"])
    #expect(r.status == 0, "\(r.err)")
    return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func invoiceReachesTheSinkDecodedAndLogged() throws {
    let s = Scratch()
    defer { s.remove() }
    let sink = try Sink.start(in: s.dir)
    defer { sink.stop() }
    let env = try Self.configure(s, port: sink.port)
    let invoice = try Self.clientWithInvoice(s, env)

    // Two addresses and no --to: the choice is listed, nothing is sent.
    var r = try Self.crmIn(s, env, ["invoice", "send", invoice])
    #expect(r.status == 1)
    #expect(r.err.contains("office@elochka.example") && r.err.contains("zhukov@elochka.example"))
    #expect(sink.messages().isEmpty)

    r = try Self.crmIn(s, env, ["invoice", "send", invoice, "--to", "zhukov@elochka.example"])
    #expect(r.status == 0, "\(r.err)")
    let received = sink.messages()
    try #require(received.count == 1)
    let saved = s.dir + "/attachment.bin"
    let read = try run(Self.python, [Self.here + "/read_mail.py", received[0], saved])
    #expect(read.status == 0, "\(read.err)")
    let m = try #require(try json(read.out) as? [String: Any])
    let (number, day) = try {
      let row = try Self.sql(
        s, "SELECT number, strftime('%d.%m.%Y', date) FROM invoice WHERE id = \(invoice)")
      let parts = row.split(separator: "|").map(String.init)
      return (parts[0], parts[1])
    }()
    #expect(m["subject"] as? String == "Счёт на оплату № \(number) от \(day) — ООО «Ромашка-Софт»")
    #expect(m["from_name"] as? String == "Анна Смирнова")
    #expect(m["from_addr"] as? String == "anna@romashka-soft.example")
    #expect(m["to_name"] as? String == "Пётр Сергеевич Жуков")
    #expect(m["to_addr"] as? String == "zhukov@elochka.example")
    #expect((m["defects"] as? [Any])?.isEmpty == true, "\(m["defects"] ?? "")")
    let body = m["body"] as? String ?? ""
    #expect(body.hasPrefix("Здравствуйте, Пётр Сергеевич Жуков!"))
    #expect(body.replacingOccurrences(of: "\u{00A0}", with: " ").contains("15 000,00 ₽"))
    let attachments = m["attachments"] as? [[String: Any]] ?? []
    #expect(attachments.first?["name"] as? String == "Счёт № \(number) от \(day).pdf")
    #expect(attachments.first?["type"] as? String == "application/pdf")
    let envelope = try String(
      contentsOfFile: received[0].replacingOccurrences(of: ".eml", with: ".rcpt"), encoding: .utf8)
    #expect(envelope == "zhukov@elochka.example")

    // The attachment is the PDF printout of the issued invoice, byte for byte.
    let printed = s.dir + "/printed.pdf"
    r = try Self.crmIn(s, env, ["invoice", "print", invoice, "--pdf", "--out", printed])
    #expect(r.status == 0, "\(r.err)")
    let a = try Data(contentsOf: URL(fileURLWithPath: saved))
    let b = try Data(contentsOf: URL(fileURLWithPath: printed))
    #expect(!a.isEmpty && a == b)

    // Logged: the Message-ID, the outgoing e-mail contact with the person, the file, issued.
    let logged = try Self.sql(
      s, "SELECT message_id, direction, to_addrs FROM mail_message WHERE client_id = 1")
    #expect(
      "<" + (logged.split(separator: "|").first.map(String.init) ?? "") + ">"
        == m["message_id"] as? String)
    #expect(logged.hasSuffix("|out|zhukov@elochka.example"))
    #expect(
      try Self.sql(s, "SELECT kind, direction, status, person_id IS NOT NULL FROM contact")
        == "email|out|done|1")
    #expect(try Self.sql(s, "SELECT status FROM invoice WHERE id = \(invoice)") == "issued")
    #expect(
      try Self.sql(
        s, "SELECT a.name, a.size = length(b.data) FROM attachment a JOIN blob b USING (sha256)")
        == "Счёт № \(number) от \(day).pdf|1")
  }

  @Test func aFailingMailCommandLogsNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    // A port nobody listens on: msmtp cannot connect.
    let sink = try Sink.start(in: s.dir)
    let closed = sink.port
    sink.stop()
    let env = try Self.configure(s, port: closed)
    let invoice = try Self.clientWithInvoice(s, env)
    let r = try Self.crmIn(s, env, ["invoice", "send", invoice, "--to", "office@elochka.example"])
    #expect(r.status == 1)
    #expect(r.err.contains("msmtp"), "\(r.err)")
    #expect(r.err.contains("Ничего не отправлено и не записано"))
    #expect(try Self.sql(s, "SELECT count(*) FROM mail_message") == "0")
    #expect(try Self.sql(s, "SELECT count(*) FROM contact") == "0")
    #expect(try Self.sql(s, "SELECT count(*) FROM attachment") == "0")
    #expect(try Self.sql(s, "SELECT status FROM invoice WHERE id = \(invoice)") == "draft")

    // `false` as the command: the same.
    let env2 = try Self.configure(s, port: closed, mailCommand: "false")
    let r2 = try Self.crmIn(
      s, env2, ["invoice", "send", invoice, "--to", "office@elochka.example"])
    #expect(r2.status == 1)
    #expect(try Self.sql(s, "SELECT count(*) FROM contact") == "0")
  }

  @Test func dryRunWritesTheMessageAndLogsNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    let env = try Self.configure(s, port: 1, mailCommand: "false")
    let invoice = try Self.clientWithInvoice(s, env)
    let out = s.dir + "/message.eml"
    let r = try Self.crmIn(
      s, env,
      ["invoice", "send", invoice, "--to", "office@elochka.example", "--dry-run", "--out", out])
    #expect(r.status == 0, "\(r.err)")
    let read = try run(Self.python, [Self.here + "/read_mail.py", out, s.dir + "/a.bin"])
    let m = try #require(try json(read.out) as? [String: Any])
    #expect(m["to_name"] as? String == "ООО «Ёлочка»")
    #expect((m["defects"] as? [Any])?.isEmpty == true)
    let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(try Self.sql(s, "SELECT count(*) FROM contact") == "0")
    #expect(try Self.sql(s, "SELECT status FROM invoice WHERE id = \(invoice)") == "draft")
  }
}
