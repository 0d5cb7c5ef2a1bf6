import CRMExchange
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `crm mail sync` and `crm mail log` on Maildirs written by Python's `mailbox` module (mail
/// composed by its `email` package, not by us), checked in the database with sqlite3.
@Suite(.serialized) struct MailEndToEndTests {
  /// Writes a Maildir: koi8-r incoming, windows-1251 outgoing with an attachment named by RFC
  /// 2231, an HTML-only message in quoted-printable, the koi8-r one again in cur/ with flags
  /// (a duplicate Message-ID), a message between strangers, a broken base64 attachment, and
  /// a message from a second client's address.
  static let script = #"""
    import mailbox, sys, email.utils
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.mime.application import MIMEApplication
    from email.header import Header
    from email.message import Message
    md = mailbox.Maildir(sys.argv[1], create=True)
    def add(msg, subdir="new", flags=""):
        m = mailbox.MaildirMessage(msg)
        m.set_subdir(subdir)
        if flags: m.set_flags(flags)
        return md.add(m)
    k = MIMEText("Здравствуйте! Счёт получили, оплатим в пятницу.", "plain", "koi8-r")
    k["Subject"] = Header("Оплата счёта N15", "koi8-r")
    k["From"] = email.utils.formataddr((str(Header("Иван Петров", "koi8-r")), "Ivan@Romashka.ru"))
    k["To"] = "Анна <anna@our.example>"
    k["Date"] = "Tue, 08 Dec 2026 10:00:00 +0300"
    k["Message-ID"] = "<k1@romashka.ru>"
    add(k)
    o = MIMEMultipart()
    o["Subject"] = Header("Коммерческое предложение", "windows-1251")
    o["From"] = "Anna <anna@our.example>"
    o["To"] = email.utils.formataddr((str(Header("Иван", "windows-1251")), "ivan@romashka.ru"))
    o["Cc"] = "boss@our.example"
    o["Date"] = "Wed, 09 Dec 2026 11:30:00 +0000"
    o["Message-ID"] = "<o1@our.example>"
    o["In-Reply-To"] = "<k1@romashka.ru>"
    o.attach(MIMEText("Направляем КП, цены действительны до конца месяца.", "plain", "windows-1251"))
    a = MIMEApplication(b"%PDF-1.4 test", Name="kp.pdf")
    a.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "КП Ромашка.pdf"))
    o.attach(a)
    add(o, "cur", "S")
    from email.charset import Charset, QP
    qp = Charset("utf-8"); qp.body_encoding = QP
    h = MIMEText("<html><body><script>alert(1)</script><p>Цена&nbsp;устраивает</p></body></html>", "html", qp)
    h["Subject"] = "Re: КП"
    h["From"] = "ivan@romashka.ru"
    h["To"] = "anna@our.example"
    h["Date"] = "Thu, 10 Dec 2026 09:00:00 +0300"
    h["Message-ID"] = "<h1@romashka.ru>"
    add(h)
    add(k, "cur", "RS")
    s = MIMEText("hello", "plain", "utf-8")
    s["From"] = "a@stranger.example"; s["To"] = "anna@our.example"; s["Subject"] = "spam"
    s["Message-ID"] = "<s1@stranger.example>"
    add(s)
    b = Message()
    b["From"] = "ivan@romashka.ru"; b["To"] = "anna@our.example"; b["Subject"] = "broken"
    b["Message-ID"] = "<b1@romashka.ru>"; b["MIME-Version"] = "1.0"
    b["Content-Type"] = 'multipart/mixed; boundary="XX"'
    b.set_payload("--XX\nContent-Type: text/plain\n\nhello\n--XX\nContent-Type: application/pdf\n"
        "Content-Transfer-Encoding: base64\n\nJVBE%%%Rg==\n--XX--\n")
    print(add(b))
    t = MIMEText("Добрый день", "plain", "utf-8")
    t["From"] = "info@lyutik.ru"; t["To"] = "anna@our.example"; t["Subject"] = "Запрос"
    t["Message-ID"] = "<t1@lyutik.ru>"; t["Date"] = "Fri, 11 Dec 2026 12:00:00 +0300"
    add(t)
    """#

  func sql(_ s: Scratch, _ query: String) throws -> String {
    let r = try run("/usr/bin/sqlite3", [s.db, query])
    #expect(r.status == 0, "\(r.err)")
    return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func python(_ args: [String]) throws -> String {
    let py = which("python3") ?? "/usr/bin/python3"
    let r = try run(py, args)
    #expect(r.status == 0, "\(r.err)")
    return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func mail(_ s: Scratch, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
    try run(
      crmBinary, ["mail"] + args + ["--db", s.db, "--lang", "ru", "--user", "anna"],
      env: [
        "TZ": "UTC", "USER": "anna", "EMAIL": "anna@our.example",
        "XDG_CONFIG_HOME": s.dir + "/config",
      ])
  }

  @Test func syncLogsKnownAddressesOnceAndRereadsNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    let romashka = try addClient(s, "Ромашка")
    var r = try crm(
      s, ["client", "edit", romashka, "--email", "ivan@romashka.ru", "--user", "anna"])
    #expect(r.status == 0, "\(r.err)")
    let lyutik = try addClient(s, "Лютик")
    r = try crm(s, ["client", "edit", lyutik, "--email", "INFO@lyutik.ru", "--user", "anna"])
    #expect(r.status == 0, "\(r.err)")
    let script = s.dir + "/make.py"
    try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
    let maildir = s.dir + "/INBOX"
    let broken = try python([script, maildir])
    // An entry nobody can read: a dangling symbolic link in new/.
    symlink(s.dir + "/nowhere", maildir + "/new/1700000000.M1P1.host")

    r = try mail(s, ["sync", maildir])
    #expect(r.status == 1, "an unreadable entry is named, the rest logged")
    #expect(r.err.contains("1700000000.M1P1.host"), "\(r.err)")
    #expect(r.err.contains(broken) && r.err.contains("часть 2: base64 повреждён"), "\(r.err)")
    #expect(
      r.out
        == "папок 1, файлов 8, новых 8: записано 4, уже было 1, не о клиентах 1, пропущено 2\n",
      "\(r.out)")

    // What was logged, as stored.
    #expect(
      try sql(
        s,
        "SELECT m.client_id, m.direction, m.subject, m.body, m.attachment_names, c.kind, c.status,"
          + " c.direction, datetime(m.sent_at, 'unixepoch'), m.in_reply_to"
          + " FROM mail_message m JOIN contact c ON c.id = m.contact_id ORDER BY m.sent_at")
          == """
          \(romashka)|in|Оплата счёта N15|Здравствуйте! Счёт получили, оплатим в пятницу.||email|done|in|2026-12-08 07:00:00|
          \(romashka)|out|Коммерческое предложение|Направляем КП, цены действительны до конца месяца.|КП Ромашка.pdf|email|done|out|2026-12-09 11:30:00|k1@romashka.ru
          \(romashka)|in|Re: КП|Цена устраивает||email|done|in|2026-12-10 06:00:00|
          \(lyutik)|in|Запрос|Добрый день||email|done|in|2026-12-11 09:00:00|
          """)
    #expect(try sql(s, "SELECT count(*) FROM maildir_entry") == "7")

    // A second run reads nothing again, even after a file moves from new/ to cur/ with flags.
    let moved = try FileManager.default.contentsOfDirectory(atPath: maildir + "/new").first {
      !$0.hasPrefix("1700000000")
    }!
    try FileManager.default.moveItem(
      atPath: maildir + "/new/" + moved, toPath: maildir + "/cur/" + moved + ":2,S")
    r = try mail(s, ["sync", maildir])
    #expect(r.status == 1)
    #expect(
      r.out
        == "папок 1, файлов 8, новых 1: записано 0, уже было 0, не о клиентах 0, пропущено 1\n",
      "only the unreadable entry is tried again: \(r.out)")
    #expect(try sql(s, "SELECT count(*) FROM mail_message") == "4")

    // Logging one of them by hand (as mutt pipes it) says it is there already.
    let first = try FileManager.default.contentsOfDirectory(atPath: maildir + "/cur")
      .filter { $0.hasSuffix(",RS") }[0]
    let piped = try run(
      "/bin/sh",
      [
        "-c",
        "'\(crmBinary)' mail log --db '\(s.db)' --user anna --lang ru < '\(maildir)/cur/\(first)'",
      ], env: ["TZ": "UTC", "USER": "anna", "XDG_CONFIG_HOME": s.dir + "/config"])
    #expect(piped.status == 0, "\(piped.err)")
    #expect(piped.out.hasPrefix("уже записано у клиента «ООО «Ромашка»»"), "\(piped.out)")
    #expect(try sql(s, "SELECT count(*) FROM contact") == "4")

    // Python reads back what the card shows: the thread in JSON.
    r = try mail(s, ["thread", "--client", romashka, "--json", "--text"])
    #expect(r.status == 0, "\(r.err)")
    let items = try json(r.out) as? [[String: Any]] ?? []
    #expect(
      items.map { $0["subject"] as? String ?? "" } == [
        "Re: КП", "Коммерческое предложение", "Оплата счёта N15",
      ])
    #expect(items.map { $0["direction"] as? String ?? "" } == ["in", "out", "in"])
  }

  @Test func logAsksForTheClientWhenNoneOrSeveralMatch() throws {
    let s = Scratch()
    defer { s.remove() }
    let a = try addClient(s, "Альфа")
    let b = try addClient(s, "Бета")
    for id in [a, b] {
      let r = try crm(s, ["client", "edit", id, "--email", "office@shared.ru", "--user", "anna"])
      #expect(r.status == 0, "\(r.err)")
    }
    let file = s.dir + "/m.eml"
    try """
    From: =?utf-8?b?0J7RhNC40YE=?= <Office@Shared.ru>
    To: anna@our.example
    Subject: =?utf-8?q?=D0=94=D0=BE=D0=B3=D0=BE=D0=B2=D0=BE=D1=80?=
    Date: Mon, 14 Dec 2026 10:00:00 +0300

    Подписали.

    """.write(toFile: file, atomically: true, encoding: .utf8)
    var r = try mail(s, ["log", "--file", file])
    #expect(r.status == 1)
    #expect(r.err.contains("№\(a) ООО «Альфа»") && r.err.contains("№\(b) ООО «Бета»"), "\(r.err)")
    #expect(try sql(s, "SELECT count(*) FROM contact") == "0")

    r = try mail(s, ["log", "--file", file, "--client", b])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("(e-mail, входящее) клиента «ООО «Бета»»"), "\(r.out)")
    r = try mail(s, ["log", "--file", file, "--client", b])
    #expect(r.out.hasPrefix("уже записано"), "the stable Message-ID made for it: \(r.out)")
    #expect(
      try sql(s, "SELECT client_id, subject, body FROM mail_message") == "\(b)|Договор|Подписали.")

    // An address nobody has, and a message that is not one: refused, nothing written.
    try "From: x@nowhere.example\nSubject: hi\n\nhi\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    r = try mail(s, ["log", "--file", file])
    #expect(r.status == 1)
    #expect(r.err.contains("ни у одного клиента нет адреса x@nowhere.example"), "\(r.err)")
    try "garbage without headers\n".write(toFile: file, atomically: true, encoding: .utf8)
    r = try mail(s, ["log", "--file", file, "--client", a])
    #expect(r.status == 1)
    #expect(r.err.contains("письмо не записано: это не письмо"), "\(r.err)")
    #expect(try sql(s, "SELECT count(*) FROM mail_message") == "1")
  }
}
