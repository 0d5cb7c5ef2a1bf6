import CRMCore
import CRMExchange
import Foundation

/// Valid inputs to start from (the seed corpora) and the tokens worth inserting (libFuzzer's
/// dictionaries, and the structure-aware mutations of `FuzzMutator`).
public enum FuzzSeeds {
  /// Files of the repository that are seeds: golden files of the exchange tests.
  public static func files(_ t: FuzzTarget) -> [String] {
    let golden = "Tests/CRMExchangeTests/Golden/"
    switch t {
    case .bank:
      let real = "Tests/CRMExchangeTests/Fixtures/real/bank/"
      return ["bank-statement-cp1251.txt", "bank-statement-utf8.txt"].map { golden + $0 }
        + ["kilylabs-one_day.txt", "dronm-kl_to_1c.txt", "dronm-to_bank.txt"].map { real + $0 }
    case .xlsx:
      let real = "Tests/CRMExchangeTests/Fixtures/real/xlsx/"
      return ["calamine-date.xlsx", "calamine-rph.xlsx", "calamine-nonstandard-xml-ns-prefix.xlsx"]
        .map { real + $0 }
    case .ical: return ["berlin.ics", "moscow.ics", "utc.ics"].map { golden + $0 }
    case .xml: return ["acts-1.17.xml", "acts-1.8.xml"].map { golden + $0 }
    case .csv: return [golden + "acts.csv"]
    case .mail:
      return [
        "thunderbird-sample04-koi8r.eml", "thunderbird-sample05-cp1251.eml",
        "mailparser-nested.eml",
      ].map { "Tests/CRMExchangeTests/Fixtures/real/mail/" + $0 }
    default: return []
    }
  }

  /// CSV seeds in the shapes of the import profiles: Google (multi-value cells, address
  /// groups), LinkedIn (a preamble before the header), Bitrix24 field codes, Outlook with a
  /// short row.
  static let profileCSV: [String] = [
    "Name,Given Name,Family Name,Group Membership,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
      + "Address 1 - Formatted,Address 1 - City,Organization 1 - Name,Organization 1 - Title\n"
      + "Manu,Manu,,* myContacts ::: Friends,m@ex.com,Mobile,+91 90000 11111 ::: 555-0123,"
      + "\"12 Bridge St\nLondon\",London,Harbor Energy,Engineer\n",
    "Notes:\n\"About missing e-mails.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,"
      + "Connected On\nAda,Lovelace,https://x.example/ada,,\"Acme, Inc.\",CTO,28 Sep 2026\n",
    "\"NAME\";\"LAST_NAME\";\"SECOND_NAME\";\"PHONE_WORK\";\"EMAIL_WORK\";\"POST\";\"ADDRESS\";\n"
      + "\"Ivan\";\"Petrov\";\"Ivanovich\";\"+7 (495) 556677\";\"i@ex.com\";\"director\";\"addr\";",
    "First Name,Last Name,Company,Job Title,Business Phone,Mobile Phone,E-mail Address,Notes\n"
      + "Adam,Glacius,Acme Inc.,Buyer,+1 217 555 0100\nEva\n",

  ]

  /// Seeds made here: hand-written samples and what the writers produce.
  public static func generated(_ t: FuzzTarget) -> [Data] {
    switch t {
    case .csv:
      let c = sampleClient
      return [
        "Наименование;ИНН;Тел.;Телефон 2;Эл. почта;Город;Ответственный;Контактное лицо;Должность;Метки;Примечание\n"
          + "ООО «Ромашка»;7707083893;+7 495 123-45-67;8 (812) 555-12-12;info@romashka.ru;Москва;boris;Иван Петров;директор;vip, опт;звонить утром\n",
        "name,city,notes\n\"Alpha, \"\"Beta\"\"\",Тула,\"две\r\nстроки\"\nГамма,,\n",
        "Фирма\tИНН\tГород\nЛютик\t500100732259\tТула\n",
        "Название|Телефон|E-mail\nИП Семёнов|89160000001|a@b.ru; c@d.ru\n",
      ].map { Data($0.utf8) } + profileCSV.map { Data($0.utf8) } + [
        ClientCSVWriter.begin()
          + ClientCSVWriter.row(c, persons: [samplePerson], ownerLogin: "anna"),
        BankEncoding.cp1251.encode("Название;Город\r\nРомашка;Москва\r\n"),
      ]
    case .vcard:
      return [
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Иван Петров\r\nN:Петров;Иван;;;\r\nORG:ООО «Ромашка»;Отдел продаж\r\n"
          + "TITLE:Директор\r\nTEL;TYPE=work,voice:+7 495 123-45-67\r\nTEL;TYPE=cell:+7 916 000-00-0\r\n 1\r\n"
          + "EMAIL;TYPE=INTERNET:ivan@romashka.ru\r\nADR;TYPE=work:;;ул. Ленина\\, 1;Москва;;101000;Россия\r\n"
          + "URL:https://romashka.ru\r\nNOTE:первая\\nвторая\\; третья\r\nCATEGORIES:vip,опт\r\nBDAY:1980-05-17\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9F=D1=91=\n=D1=82=D1=80;;;;\nTEL;CELL:89160000001\nEND:VCARD\n",
        "BEGIN:VCARD\nFN:Первый\nEND:VCARD\nBEGIN:VCARD\nFN:Сломанный\nэто не свойство\nEND:VCARD\n",
      ].map { Data($0.utf8) } + realWorldCards + [
        VCardWriter.card(
          ExportedClient(client: sampleClient, persons: [samplePerson], ownerLogin: "anna")),
        charsetCard,
      ]
    case .bank:
      let date = BankDate(year: 2026, month: 11, day: 23)!
      let d = BankStatementWriter.Draft(
        number: "17", date: date, amount: 1_250_050, payerAccount: "40702810900000000001",
        payerName: "ООО «Ромашка»", payerINN: "7707083893", payerBIC: "044525225",
        payeeAccount: "40702810500000000002", payeeName: "ИП Лютик", payeeINN: "500100732259",
        dateWritten: date, purpose: "Оплата по счёту № 15 от 20.11.2026, в т.ч. НДС")
      return [
        BankStatementWriter.write(
          sender: "Бухгалтерия", accounts: ["40702810500000000002"], from: date, to: date,
          documents: [d], encoding: .utf8),
        BankStatementWriter.write(
          sender: "Бухгалтерия", accounts: [], from: date, to: date, documents: [d, d],
          encoding: .cp866),
        // Broken header and balance fields: warnings, the document is read.
        Data(
          ("1CClientBankExchange\r\nВерсияФормата=1.03\r\nДатаНачала=01.13.2026\r\n"
            + "ДатаКонца=23.08.201819202122\r\nСекцияРасчСчет\r\nРасчСчет=40702810500000000002\r\n"
            + "ВсегоПоступило=много\r\nКонецРасчСчет\r\nСекцияДокумент=Платежное поручение\r\n"
            + "Номер=1\r\nДата=23.11.2026\r\nСумма=10.00\r\nКонецДокумента\r\nКонецФайла\r\n").utf8),
      ]
    case .xlsx:
      let styles =
        "<numFmts><numFmt numFmtId=\"164\" formatCode=\"dd.mm.yyyy\"/></numFmts>"
        + "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs>"
      return [
        XLSXBuilder.textRow(1, ["Название", "", "Телефон"])
          + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\"><v>79161234567</v></c>"
          + "<c r=\"C2\" s=\"1\"><v>45658</v></c><c r=\"D2\" s=\"2\"><v>45659.5</v></c>"
          + "<c r=\"E2\" t=\"b\"><v>1</v></c><c r=\"F2\" t=\"e\"><v>#N/A</v></c></row>"
          + "\u{1}<r><t>ООО «Ромашка»</t></r><rPh><t>x</t></rPh>\u{2}<t>_x000D_</t>\u{1}" + styles,
        "<row><c t=\"inlineStr\"><is><t><![CDATA[a]]></t></is></c><c t=\"d\"><v>2021-01-01T10:00:00</v></c></row>",
      ].map { Data($0.utf8) }
    case .search:
      return [
        "Ромашка", "ромашка ООО", "8 (495) 123", "+7 495 123-45-67", "\"quoted\" term", "a* OR b",
        "NEAR(a b)", "name:x", "'; DROP TABLE client; --", "ёлка", "AND", "-minus", "^caret",
        "Лютик и партнёры", "x\u{0}y", "a b c d e f g h i j k l m n o p q r",
      ].map { Data($0.utf8) }
    case .when:
      return [
        "2026-11-25 10:00", "2026-11-25T10:00", "25.11.2026 10:00", "25.11.26", "25.11",
        "25 ноября 15:00", "nov 25", "15:30", "now", "сейчас", "завтра в 10:00", "в пятницу",
        "во вторник", "+30m", "+1h30m", "-2h", "in 3 days", "через полчаса", "2 дня назад",
        "3pm", "3:30 pm", "tomorrow at 9", "+3d 15:00", "90", "1ч30", "1.5h", "15 мин", "1w",
        "3d", "2w", "1mo", "1y", "29.02.2028", "31.04.2026",
      ].map { Data($0.utf8) }
    case .toml:
      return [Language.en, .ru].map { Data(FunnelConfigFile.write(.standard, language: $0).utf8) }
    case .xml:
      return [
        Data(
          "<?xml version=\"1.0\"?><Message><Body><Документ.РеализацияТоваровУслуг><КлючевыеСвойства><Номер>1</Номер></КлючевыеСвойства></Документ.РеализацияТоваровУслуг></Body></Message>"
            .utf8)
      ]
    case .ical:
      let event = ICSEvent(
        uid: "1@termcrm", start: WhenChecks.now, end: WhenChecks.now.addingTimeInterval(1800),
        summary: "Звонок; «Ромашка», ещё\\раз", description: "строка 1\nстрока 2",
        categories: ["звонок", "a,b"], alarm: WhenChecks.now, created: WhenChecks.now,
        lastModified: WhenChecks.now, rrule: "FREQ=WEEKLY;INTERVAL=2")
      return [
        Data(
          ICalendar.write(
            [event], calendarName: "TermCRM", timeZone: TimeZone(identifier: "Europe/Moscow")!,
            stamp: WhenChecks.now
          ).utf8)
      ]
    case .values:
      let texts: [(Int, String)] = [
        (0, "1 000,50"), (0, "12 500 ₽"), (0, "-3.5"), (1, "RUB"), (1, "usd"), (2, "92,5012"),
        (3, "1,5"), (3, "0.125"), (4, "20 %"), (4, "без НДС"), (5, "рамочный"),
        (6, "revenue >= 1 000 000"), (6, "выручка ≥ 500000"), (7, "phone,email, inn"),
        (8, "plan call +3d \"Позвонить\""), (8, "draft offer"), (8, "require amount"),
        (9, "15.06.2025"), (10, "Колонка=name,Other=city"), (11, "  Ёлка\tООО «Ромашка»  "),
        (12, "Ромашка\tООО\t7707083893\t770701001\t1027700132195\t+7 495 123-45-67\ta@b.ru"),
      ]
      return texts.map { Data([UInt8($0.0)]) + Data($0.1.utf8) }
    case .mail:
      let lines: [String] = [
        "From: =?koi8-r?B?6dfBzg==?= <ivan@romashka.ru>", "To: a@b.ru, team: c@d.ru;",
        "Subject: =?utf-8?q?=D0=A1=D1=87=D1=91=D1=82?=", " =?utf-8?b?INC+0L/Qu9Cw0YfQtdC9?=",
        "Date: Tue, 8 Dec 2026 10:00:00 +0300", "Message-ID: <a@b>",
        "Content-Type: multipart/mixed; boundary=\"b1\"", "", "--b1",
        "Content-Type: multipart/alternative; boundary=b2", "", "--b2",
        "Content-Type: text/plain; charset=windows-1251",
        "Content-Transfer-Encoding: quoted-printable", "", "=D1=F7=B8=F2=", "", "--b2",
        "Content-Type: text/html", "", "<p>x&amp;y</p>", "--b2--", "--b1",
        "Content-Type: application/pdf; name*0*=utf-8''%D0%9A%D0%9F; name*1=.pdf",
        "Content-Disposition: attachment", "Content-Transfer-Encoding: base64", "",
        "JVBERi0xLjQK", "--b1--", "",
      ]
      let html: [String] = [
        "From: a@b.ru", "Content-Type: text/html; charset=iso-8859-5", "",
        "<script>x</script><b>\u{C2}</b>",
      ]
      return [lines.joined(separator: "\r\n"), html.joined(separator: "\n")].map {
        Data($0.utf8)
      }
    }
  }

  /// libFuzzer dictionary tokens, also inserted by `FuzzMutator`.
  public static func dictionary(_ t: FuzzTarget) -> [String] {
    let common = ["\r\n", "\n", "\"", "\u{0}", "\u{FEFF}", "ё", "\u{301}", "\u{200D}"]
    switch t {
    case .csv:
      return common + [
        ";", ",", "\t", "|", "\"\"", "\";\"", "Название", "ИНН", "Телефон", "E-mail",
        "Контактное лицо", "Ответственный", "Теги", "ООО", "ИП", "name", " ::: ",
        "Phone 1 - Value", "E-mail 1 - Value", "Organization 1 - Name", "Given Name", "Notes:",
        "Connected On", "NAME", "LAST_NAME", "PHONE_WORK", "Рабочий e-mail", "Название компании",
      ]
    case .vcard:
      return common + [
        "BEGIN:VCARD", "END:VCARD", "VERSION:3.0", "FN:", "N:", "ORG:", "TEL;TYPE=cell:", "EMAIL:",
        "ADR:", "NOTE:", "CATEGORIES:", "KIND:org", "X-INN:", ";CHARSET=windows-1251",
        ";ENCODING=QUOTED-PRINTABLE", "=\r\n", "\r\n ", "\\n", "\\,", "\\;", "\r\r\n",
        ";CHARSET=SHIFT_JIS", ";CHARSET=KOI8-R", "UID:", "RELATED:", "NICKNAME:", "IMPP:",
        "X-ANDROID-CUSTOM:", "\"", "\n#", "\\\n", "item1.",
      ]
    case .bank:
      return common + [
        "1CClientBankExchange", "СекцияДокумент=", "КонецДокумента", "СекцияРасчСчет",
        "КонецРасчСчет", "КонецФайла", "Кодировка=Windows", "Кодировка=DOS", "Номер=", "Дата=",
        "Сумма=", "ДатаСписано=", "ДатаПоступило=", "Плательщик=", "ПлательщикИНН=",
        "Получатель1=", "НазначениеПлатежа=", "РасчСчет=", "31.12.2026", "0.01", "=",
      ]
    case .xlsx:
      return common + [
        "<row r=\"", "\">", "</row>", "<c r=\"", "\" t=\"s\">", "\" t=\"inlineStr\">",
        "\" t=\"b\">", "\" t=\"d\">", "\" s=\"1\">", "\" s=\"2\">", "<v>", "</v>", "</c>",
        "<is><t>", "</t></is>", "<r><t>", "</t></r>", "<rPh>", "</rPh>", "_x000D_", "\u{1}",
        "\u{2}", "A1", "XFD1048576", "AAAA1", "$B$2", "60", "2958466", "-1", "1E308", "NaN",
      ]
    case .search:
      return common + ["*", "\"", "AND", "OR", "NOT", "NEAR(", "(", ")", ":", "^", "-", "+7", "'"]
    case .when:
      return [
        " ", ":", "+", "-", "в ", "at ", "через ", " назад", " ago", "in ", "завтра", "tomorrow",
        "пятницу", "ноября", "pm", "h", "m", "d", "w", "mo", "y", "ч", "мин", "дн", "нед",
        "полчаса", "2026", ".", "29.02", "99999999999",
      ]
    case .toml:
      return common + [
        "[[pipeline]]", "[[pipeline.stage]]", "[[lead_sources]]", "[[lost_reasons]]", "key = ",
        "name = ", "name_en = ", "kind = \"won\"", "probability = ", "stuck_after_days = ",
        "on_enter = [", "\"\"\"", "'''", "=", "[", "]", "{", "}", "#",
      ]
    case .xml:
      return common + [
        "<Body>", "</Body>", "<Документ.РеализацияТоваровУслуг>", "<Сумма>", "<![CDATA[", "]]>",
        "<!DOCTYPE x [<!ENTITY e \"", "&e;", "&amp;", "&#x", "<?xml", "/>", "</",
      ]
    case .ical:
      return common + [
        "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT", "DTSTART:", "DTEND:",
        "DURATION:PT1H", "RRULE:", ";TZID=Europe/Moscow:", "20261123T101500Z", "\r\n ", "\\n",
        "\\,", "SUMMARY:",
      ]
    case .values:
      return [" ", ",", ".", "₽", "%", ">=", "≥", "=", "\"", "\\", "\t", "0", "9", "-"]
    case .mail:
      return common + [
        "From: ", "To: ", "Subject: ", "Content-Type: ", "multipart/mixed; boundary=",
        "multipart/alternative", "text/plain; charset=", "text/html", "koi8-r", "windows-1251",
        "Content-Transfer-Encoding: base64", "quoted-printable", "=?utf-8?B?", "=?koi8-r?Q?", "?=",
        "--", "--b1", "--b1--", "filename*0*=utf-8''", "%D0", "=D0", "=\r\n", "\r\n\r\n", "<",
        ">", "(", ")", ":", ";", "&#", "<script>", "\u{1B}[",
      ]
    }
  }

  static var sampleClient: Client {
    var c = Client(
      name: "Ромашка", legalForm: "ООО", inn: "7707083893", kpp: "770701001",
      phones: [Phone("+7 495 123-45-67")], emails: ["info@romashka.ru"], city: "Москва",
      legalAddress: "ул. Ленина, 1", tags: ["vip", "опт"], notes: "звонить утром\nдо обеда")
    c.website = "https://romashka.ru"
    return c
  }

  /// iPhone's CR CR LF, quoted parameters, a comment, a backslash continuation; a card named by
  /// its e-mail with a nickname, messengers and a phone field holding words; no card at all.
  static var realWorldCards: [Data] {
    let iPhone: String =
      "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Smith;Bob;;;\r\r\nitem1.TEL;X-LABEL=\"a:b;c\":(650) 555-1212\r\r\n"
      + "# comment\r\r\nADR;TYPE=home:;;ул. Мира 1\\\r\r\nкв. 2;Москва;;;\r\r\nEND:VCARD\r\r\n"
    let emailOnly: String =
      "BEGIN:VCARD\nEMAIL:only@example.com\nNICKNAME:Ник\nIMPP:xmpp:a@b.c\nX-SKYPE:bob\n"
      + "BDAY:--0308\nTEL:tel:+1-418-656-9254;ext=102\nTEL:позвонить\nEND:VCARD\n"
    let notACard: String = "Name;Phone\nИван;+7 495 123-45-67\n"
    return [Data(iPhone.utf8), Data(emailOnly.utf8), Data(notACard.utf8)]
  }

  /// A 2.1 card in Shift_JIS and KOI8-R (quoted-printable over a soft break).
  static var charsetCard: Data {
    var d = Data("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:".utf8)
    d.append(contentsOf: [0x88, 0xC0, 0x93, 0xA1, 0x83, 0x8D, 0x83, 0x43, 0x83, 0x68] as [UInt8])
    let rest = ";;;;\r\nFN;CHARSET=KOI8-R;ENCODING=QUOTED-PRINTABLE:=F3=C9=C4=\r\n=CF=D2=CF=D7\r\n"
    d.append(Data(rest.utf8))
    d.append(Data("END:VCARD\r\n".utf8))
    return d
  }

  static var samplePerson: ContactPerson {
    ContactPerson(
      clientId: 0, name: "Иван Петров", position: "директор", phones: [Phone("89160000001")],
      emails: ["ivan@romashka.ru"])
  }
}
