import Foundation
import Testing

/// Adds a deal as anna (or `extra` options); returns its id.
func addDeal(_ s: Scratch, client: String, _ title: String, _ extra: [String] = []) throws
  -> String
{
  let r = try crm(s, ["deal", "add", "--client", client, "--title", title] + extra)
  #expect(r.status == 0, "\(r.err)")
  return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
}

func jsonArray(_ s: Scratch, _ args: [String]) throws -> [[String: Any]] {
  let r = try crm(s, args + ["--json"])
  #expect(r.status == 0, "\(r.err)")
  return try #require(try json(r.out) as? [[String: Any]])
}

func jsonObject(_ s: Scratch, _ args: [String]) throws -> [String: Any] {
  let r = try crm(s, args + ["--json"])
  #expect(r.status == 0, "\(r.err)")
  return try #require(try json(r.out) as? [String: Any])
}

func sqlite(_ s: Scratch, _ sql: String) throws -> String {
  let sqlite3 = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test.sh installs it)")
  let r = try run(sqlite3, [s.db, sql])
  #expect(r.status == 0, "\(r.err)")
  return r.out
}

@Suite(.serialized) struct DealCommandTests {
  @Test func offerSentPlansACallThatContactListShows() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let add = try crm(
      s, ["deal", "add", "--client", client, "--title", "Поставка станков", "--amount", "1000.00"])
    #expect(add.status == 0, "\(add.err)")
    #expect(add.out == "1\n")
    let move = try crm(s, ["deal", "move", "1", "--to", "offer"])
    #expect(move.status == 0, "\(move.err)")
    #expect(move.out.hasPrefix("Сделка №1 перенесена на этап «КП отправлено»: "))
    #expect(move.out.contains("черновик КП №1"))
    let contacts = try jsonArray(s, ["contact", "list"])
    #expect(contacts.count == 1)
    let call = try #require(contacts.first)
    #expect(call["kind"] as? String == "call")
    #expect(call["status"] as? String == "planned")
    #expect(call["user"] as? String == "anna")
    #expect(call["subject"] as? String == "Узнать решение по КП: Поставка станков")
    let due = try #require(isoDate(call["due"] as? String ?? ""))
    let f = DateFormatter()
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "dd.MM.yyyy HH:mm"
    #expect(
      move.out.contains("запланирован звонок №\(call["id"] as? Int ?? 0) на \(f.string(from: due))")
    )
    #expect(move.out.split(separator: "\n").count == 1)
    // In three days at the working day's start, Saturday and Sunday moved to Monday.
    let days = due.timeIntervalSinceNow / 86400
    #expect(days > 1.5 && days < 6)
    #expect(try crm(s, ["contact", "list"]).out.contains("Узнать решение по КП"))

    let list = try jsonArray(s, ["deal", "list"])
    #expect(list.count == 1)
    let o = try #require(list.first)
    #expect(o["id"] as? Int == 1)
    #expect(o["client"] as? String == "ООО «Ромашка»")
    #expect(o["client_id"] as? Int == Int(client))
    #expect(o["title"] as? String == "Поставка станков")
    #expect(o["stage"] as? String == "offer")
    #expect(o["stage_name"] as? String == "КП отправлено")
    #expect(o["status"] as? String == "open")
    #expect(o["amount"] as? String == "1000.00")
    #expect(o["currency"] as? String == "RUB")
    #expect(o["probability"] as? Int == 25)
    #expect(o["owner"] as? String == "anna")
    #expect(o["days_in_stage"] as? Int == 0)
    #expect(o["days_over"] is NSNull)
    #expect(o["closed"] is NSNull)
    #expect(o["pipeline"] as? String == "sales")
    let created = try #require(isoDate(o["created"] as? String ?? ""))
    #expect(abs(created.timeIntervalSinceNow) < 60)
    // The same list in English names the stage in English; the key stays.
    let en = try crm(s, ["deal", "list", "--json"], lang: "en")
    let enList = try #require(try json(en.out) as? [[String: Any]])
    #expect(enList.first?["stage_name"] as? String == "Offer sent")
    #expect(enList.first?["stage"] as? String == "offer")

    let show = try jsonObject(s, ["deal", "show", "1"])
    #expect(show["title"] as? String == "Поставка станков")
    #expect(show["amount"] as? String == "1000.00")
    let history = try #require(show["history"] as? [[String: Any]])
    #expect(history.count == 2)
    #expect(history[0]["from"] is NSNull)
    #expect(history[0]["to"] as? String == "interest")
    #expect(history[1]["from"] as? String == "interest")
    #expect(history[1]["to"] as? String == "offer")
    #expect(history[1]["to_name"] as? String == "КП отправлено")
    #expect(history[1]["user"] as? String == "anna")
    #expect(history[0]["left_at"] as? String == history[1]["at"] as? String)
    let events = try #require(history[1]["events"] as? [[String: Any]])
    #expect(events.count == 2)
    #expect(
      events.contains { $0["offer_id"] as? Int == 1 && $0["action"] as? String == "draft offer" })
    let planned = try #require(events.first { $0["contact_id"] as? Int == call["id"] as? Int })
    #expect(planned["contact_due"] as? String == call["due"] as? String)
    #expect((planned["text"] as? String)?.hasPrefix("запланирован звонок №") == true)

    let text = try crm(s, ["deal", "show", "1"])
    #expect(text.status == 0)
    for part in [
      "Сделка №1: Поставка станков", "Клиент: ООО «Ромашка» (№\(client))",
      "Этап: КП отправлено (offer), 0\u{00A0}дн.", "Сумма: 1\u{00A0}000,00\u{00A0}₽",
      "Вероятность: 25\u{00A0}% (по этапу)", "История этапов:", "Интерес → КП отправлено  (anna)",
      "черновик КП №1", "запланирован звонок №",
    ] {
      #expect(text.out.contains(part), "\(part) not in \(text.out)")
    }
  }

  @Test func wonLostAndReopen() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let a = try addDeal(s, client: client, "Поставка", ["--amount", "1 000,50"])
    let b = try addDeal(s, client: client, "Монтаж", ["--amount", "500"])
    let won = try crm(s, ["deal", "won", a])
    #expect(won.status == 0, "\(won.err)")
    #expect(won.out == "Сделка №\(a) выиграна: 1\u{00A0}000,50\u{00A0}₽\n")
    let wonList = try jsonArray(s, ["deal", "list", "--status", "won"])
    #expect(wonList.map { $0["id"] as? Int } == [Int(a)])
    #expect(wonList[0]["stage"] as? String == "won")
    #expect(wonList[0]["status"] as? String == "won")
    #expect(isoDate(wonList[0]["closed"] as? String ?? "") != nil)
    // A closed deal does not move; nothing is written.
    let moved = try crm(s, ["deal", "move", a, "--to", "offer"])
    #expect(moved.status == 1)
    #expect(moved.err.contains("сделка №\(a): уже выиграна"))
    #expect(moved.err.contains("crm deal reopen \(a)"))
    #expect(try jsonObject(s, ["deal", "show", a])["stage"] as? String == "won")
    #expect(try sqlite(s, "SELECT count(*) FROM deal_stage WHERE deal_id = \(a)") == "2\n")

    let unknown = try crm(s, ["deal", "lost", b, "--reason", "луна не та"])
    #expect(unknown.status == 1)
    #expect(unknown.err.contains("--reason: «луна не та» нет в списке"))
    for reason in [
      "price (Дорого)", "competitor (Выбрали конкурента)", "no_need (Нет потребности)",
    ] {
      #expect(unknown.err.contains(reason))
    }
    #expect(try jsonObject(s, ["deal", "show", b])["status"] as? String == "open")
    let lost = try crm(s, ["deal", "lost", b, "--reason", "дорого"])
    #expect(lost.status == 0, "\(lost.err)")
    #expect(lost.out == "Сделка №\(b) проиграна: Дорого\n")
    let shown = try jsonObject(s, ["deal", "show", b])
    #expect(shown["status"] as? String == "lost")
    #expect(shown["lost_reason"] as? String == "price")
    #expect(shown["stage"] as? String == "lost")
    let en = try crm(s, ["deal", "show", b], lang: "en")
    #expect(en.out.contains("Lost reason: Too expensive"))
    #expect(en.out.contains("Status: lost"))

    let reopen = try crm(s, ["deal", "reopen", b])
    #expect(reopen.status == 0, "\(reopen.err)")
    #expect(reopen.out == "Сделка №\(b) снова открыта на этапе «Интерес»\n")
    let open = try jsonObject(s, ["deal", "show", b])
    #expect(open["status"] as? String == "open")
    #expect(open["stage"] as? String == "interest")
    #expect(open["closed"] is NSNull)
    #expect(open["lost_reason"] as? String == "")
    let again = try crm(s, ["deal", "reopen", b])
    #expect(again.status == 1)
    #expect(again.err.contains("и так открыта"))
    let en2 = try crm(s, ["deal", "reopen", a], lang: "en")
    #expect(en2.out == "Deal №\(a) reopened at Interest\n")
  }

  @Test func editChangesFieldsAndSaysWhich() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let id = try addDeal(s, client: client, "Поставка", ["--amount", "1000"])
    let edit = try crm(
      s,
      [
        "deal", "edit", id, "--amount", "2 500,50", "--probability", "60", "--expected-close",
        "31.12.2026", "--source", "Рекомендация", "--notes", "Через тендер",
      ])
    #expect(edit.status == 0, "\(edit.err)")
    #expect(
      edit.out
        == "Сделка №\(id) изменена: сумма, вероятность, ожидаемое закрытие, источник, заметки\n")
    var o = try jsonObject(s, ["deal", "show", id])
    #expect(o["amount"] as? String == "2500.50")
    #expect(o["probability"] as? Int == 60)
    #expect(o["own_probability"] as? Bool == true)
    #expect(o["expected_close"] as? String == "2026-12-31")
    #expect(o["source"] as? String == "referral")
    #expect(o["notes"] as? String == "Через тендер")
    let text = try crm(s, ["deal", "show", id])
    #expect(text.out.contains("Ожидаемое закрытие: 31.12.2026"))
    #expect(text.out.contains("Источник: Рекомендация"))
    #expect(try crm(s, ["deal", "edit", id, "--probability", ""]).status == 0)
    #expect(try crm(s, ["deal", "edit", id, "--currency", "usd"]).status == 0)
    o = try jsonObject(s, ["deal", "show", id])
    #expect(o["probability"] as? Int == 10)
    #expect(o["own_probability"] as? Bool == false)
    #expect(o["currency"] as? String == "USD")
    #expect(o["amount"] as? String == "2500.50")
    let same = try crm(s, ["deal", "edit", id, "--title", "Поставка"])
    #expect(same.out == "Сделка №\(id): менять нечего\n")
  }

  @Test func badInputExitsOneNamingTheFieldAndWritesNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let open = try addDeal(s, client: client, "Поставка", ["--amount", "1000"])
    let closed = try addDeal(s, client: client, "Монтаж")
    #expect(try crm(s, ["deal", "won", closed]).status == 0)
    let state = """
      SELECT (SELECT count(*) FROM deal), (SELECT count(*) FROM deal_stage),
        (SELECT count(*) FROM contact), (SELECT count(*) FROM offer),
        (SELECT count(*) FROM change_set), (SELECT group_concat(id || ':' || stage_id || ':' ||
        amount || ':' || currency || ':' || status || ':' || owner_id || ':' || expected_close ||
        ':' || coalesce(probability, '-'), ' ') FROM deal)
      """
    let before = try sqlite(s, state)
    let add = ["deal", "add", "--client", client, "--title", "X"]
    let cases: [([String], [String])] = [
      (add + ["--amount", "-5"], ["--amount", "«-5»", "не может быть отрицательной"]),
      (add + ["--amount=-5"], ["--amount", "не может быть отрицательной"]),
      (add + ["--amount", "много"], ["--amount", "«много»", "1000,00"]),
      (add + ["--amount", "10", "--currency", "XYZ"], ["--currency", "«XYZ»", "RUB, USD"]),
      (add + ["--stage", "nowhere"], ["Этап", "«nowhere»", "offer (КП отправлено)"]),
      (add + ["--owner", "ghost"], ["--owner", "нет пользователя «ghost»", "anna"]),
      (add + ["--expected-close", "31.02.2026"], ["--expected-close", "31.02.2026", "28"]),
      (add + ["--expected-close", "когда-нибудь"], ["--expected-close", "когда-нибудь"]),
      (add + ["--probability", "120"], ["--probability", "от 0 до 100"]),
      (add + ["--source", "телепатия"], ["--source", "«телепатия»", "site (Сайт)"]),
      (["deal", "add", "--client", "99", "--title", "X"], ["клиент", "99"]),
      (["deal", "move", open, "--to", "nowhere"], ["Этап", "«nowhere»", "decision"]),
      (
        ["deal", "move", open, "--to", "decision", "--amount", "-1"], ["--amount", "отрицательной"]
      ),
      (
        ["deal", "move", open, "--to", "decision", "--expected-close", "32.01.2027"],
        ["--expected-close"]
      ),
      (["deal", "move", closed, "--to", "offer"], ["уже выиграна", "crm deal reopen \(closed)"]),
      (["deal", "won", closed], ["уже выиграна"]),
      (["deal", "move", "99", "--to", "offer"], ["сделка", "99"]),
      (["deal", "won", "99"], ["сделка", "99"]),
      (["deal", "lost", "99", "--reason", "price"], ["сделка", "99"]),
      (["deal", "reopen", "99"], ["сделка", "99"]),
      (["deal", "edit", "99", "--title", "Y"], ["сделка", "99"]),
      (["deal", "show", "99"], ["сделка", "99"]),
      (["deal", "edit", open, "--amount", "-1"], ["--amount", "отрицательной"]),
      (["deal", "edit", open, "--amount", "1.005"], ["--amount", "2 знака"]),
      (["deal", "edit", open, "--currency", "рубли"], ["--currency", "«рубли»"]),
      (["deal", "edit", open, "--owner", "ghost"], ["--owner", "«ghost»"]),
      (
        ["deal", "edit", open, "--expected-close", "30.02.2027"],
        ["--expected-close", "30.02.2027"]
      ),
      (["deal", "edit", open, "--title", " "], ["Название", "пусто"]),
      (["deal", "move", open, "--to", "invoice", "--amount", "0"], ["Сумма", "требует"]),
      (["deal", "list", "--owner", "ghost"], ["--owner", "«ghost»"]),
      (["deal", "list", "--status", "closed"], ["--status", "open, won или lost"]),
      (["deal", "list", "--stage", "nowhere"], ["--stage", "«nowhere»"]),
      (["deal", "list", "--mine", "--owner", "anna"], ["--mine", "--owner"]),
      (["report", "funnel", "--owner", "ghost"], ["--owner", "«ghost»"]),
      (["report", "funnel", "--from", "31.02.2026"], ["--from", "31.02.2026"]),
      (["report", "funnel", "--pipeline", "nowhere"], ["nowhere", "sales"]),
      (["report", "sources", "--source", "телепатия"], ["--source", "«телепатия»"]),
      (["report", "stuck", "--json", "--csv"], ["--json", "--csv"]),
    ]
    for (args, parts) in cases {
      let r = try crm(s, args)
      #expect(r.status == 1, "\(args): \(r.status) \(r.out) \(r.err)")
      #expect(r.out.isEmpty, "\(args): \(r.out)")
      for p in parts { #expect(r.err.contains(p), "\(args): «\(p)» not in \(r.err)") }
    }
    #expect(try sqlite(s, state) == before)
    let en = try crm(s, add + ["--amount", "-5"], lang: "en")
    #expect(en.status == 1)
    #expect(en.err == "crm: --amount: «-5»: an amount cannot be negative\n")
  }

  /// Four deals, with stays and the stage clock set by hand in the database:
  /// A (anna, site, 100 000): interest 2 d → offer 4 d → won;
  /// B (anna, site, 20 000): interest 1 d → offer 2 d → lost (price);
  /// C (boris, referral, 50 000): interest 4 d → decision 1 d → won;
  /// D (anna, no source, 10 000): in interest for 9.5 days (limit 7): stuck, 3 days over.
  func funnelData() throws -> Scratch {
    let s = Scratch()
    let romashka = try addClient(s)
    #expect(try crm(s, ["client", "add", "--name", "Сигма", "--user", "boris"]).status == 0)
    let sigma = "2"
    _ = try addDeal(s, client: romashka, "A", ["--amount", "100000", "--source", "site"])
    _ = try addDeal(s, client: romashka, "B", ["--amount", "20000", "--source", "Сайт"])
    _ = try addDeal(
      s, client: sigma, "C", ["--amount", "50000", "--owner", "boris", "--source", "referral"])
    _ = try addDeal(s, client: romashka, "D", ["--amount", "10000"])
    for args in [
      ["deal", "move", "1", "--to", "offer"], ["deal", "move", "2", "--to", "offer"],
      ["deal", "move", "3", "--to", "decision"], ["deal", "won", "1"],
      ["deal", "lost", "2", "--reason", "price"], ["deal", "won", "3"],
    ] {
      let r = try crm(s, args)
      #expect(r.status == 0, "\(args): \(r.err)")
    }
    for (deal, stage, days) in [
      (1, "interest", 2), (2, "interest", 1), (3, "interest", 4), (1, "offer", 4), (2, "offer", 2),
      (3, "decision", 1),
    ] {
      _ = try sqlite(
        s,
        """
        UPDATE deal_stage SET at = left_at - \(days) * 86400 WHERE deal_id = \(deal)
          AND to_stage_id = (SELECT id FROM stage WHERE key = '\(stage)')
        """)
    }
    _ = try sqlite(s, "UPDATE deal SET stage_at = stage_at - 9.5 * 86400 WHERE id = 4")
    return s
  }

  @Test func funnelReportNumbersAreExact() throws {
    let s = try funnelData()
    defer { s.remove() }
    let r = try jsonObject(s, ["report", "funnel"])
    #expect(r["pipeline"] as? String == "sales")
    #expect(r["created"] as? Int == 4)
    #expect(r["won"] as? Int == 2)
    #expect(r["lost"] as? Int == 1)
    #expect(r["win_rate"] as? Double == 0.6667)
    #expect(r["overall_conversion"] as? Double == 0.5)
    let revenue = try #require(r["revenue"] as? [[String: Any]])
    #expect(revenue.count == 1)
    #expect(revenue[0]["amount"] as? String == "150000.00")
    #expect(revenue[0]["currency"] as? String == "RUB")
    let stages = try #require(r["stages"] as? [[String: Any]])
    #expect(
      stages.map { $0["key"] as? String } == [
        "interest", "offer", "decision", "invoice", "paid", "shipped", "won",
      ])
    #expect(stages.map { $0["reached"] as? Int } == [4, 3, 2, 2, 2, 2, 2])
    #expect(stages[0]["conversion"] is NSNull)
    #expect(stages.dropFirst().map { $0["conversion"] as? Double } == [0.75, 0.6667, 1, 1, 1, 1])
    #expect(stages.map { $0["open_now"] as? Int } == [1, 0, 0, 0, 0, 0, 0])
    // Interest: stays of 2, 1 and 4 days; offer: 4 and 2; decision: 1.
    #expect(stages[0]["stays"] as? Int == 3)
    #expect(stages[0]["mean_days"] as? Double == 2.33)
    #expect(stages[0]["median_days"] as? Double == 2)
    #expect(stages[1]["mean_days"] as? Double == 3)
    #expect(stages[1]["median_days"] as? Double == 3)
    #expect(stages[2]["mean_days"] as? Double == 1)
    #expect(stages[3]["stays"] as? Int == 0)
    #expect(stages[3]["mean_days"] is NSNull)
    #expect(stages[1]["name"] as? String == "КП отправлено")
    let owners = try #require(r["by_owner"] as? [[String: Any]])
    #expect(owners.map { $0["name"] as? String } == ["anna", "boris"])
    #expect(owners[0]["created"] as? Int == 3)
    #expect(owners[0]["won"] as? Int == 1)
    #expect(owners[0]["lost"] as? Int == 1)
    #expect(owners[0]["win_rate"] as? Double == 0.5)
    #expect((owners[0]["revenue"] as? [[String: Any]])?.first?["amount"] as? String == "100000.00")
    #expect(owners[1]["win_rate"] as? Double == 1)
    let sources = try #require(r["by_source"] as? [[String: Any]])
    let site = try #require(sources.first { $0["key"] as? String == "site" })
    #expect(site["name"] as? String == "Сайт")
    #expect(site["created"] as? Int == 2 && site["won"] as? Int == 1 && site["lost"] as? Int == 1)
    #expect(
      sources.contains { $0["name"] as? String == "(не указан)" && $0["created"] as? Int == 1 })
    let months = try #require(r["by_month"] as? [[String: Any]])
    #expect(months.last?["created"] as? Int == 4)
    #expect(months.last?["won"] as? Int == 2)

    let boris = try jsonObject(s, ["report", "funnel", "--owner", "boris"])
    #expect(boris["owner"] as? String == "boris")
    #expect(boris["created"] as? Int == 1)
    #expect(boris["overall_conversion"] as? Double == 1)
    let site2 = try jsonObject(s, ["report", "funnel", "--source", "Сайт"])
    #expect(site2["source"] as? String == "site")
    #expect(site2["created"] as? Int == 2)
    #expect(site2["win_rate"] as? Double == 0.5)
    // A period before anything was created: nothing created or closed.
    let old = try jsonObject(s, ["report", "funnel", "--from", "01.01.2020", "--to", "31.12.2020"])
    #expect(old["created"] as? Int == 0)
    #expect(old["won"] as? Int == 0)
    #expect(old["win_rate"] is NSNull)
    #expect(old["from"] as? String == "2020-01-01T00:00:00Z")
    #expect(old["to"] as? String == "2021-01-01T00:00:00Z")

    let text = try crm(s, ["report", "funnel"])
    #expect(text.status == 0, "\(text.err)")
    #expect(text.out.contains("Воронка «Продажи»"))
    #expect(text.out.contains("общая конверсия (выиграно / создано): 50,0\u{00A0}%"))
    #expect(text.out.contains("выиграно 2, проиграно 1, доля выигрышей 66,7\u{00A0}%"))
    #expect(text.out.contains("Выручка: 150\u{00A0}000,00\u{00A0}₽"))
    for line in text.out.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
  }

  @Test func csvHasAHeaderAndARowPerItem() throws {
    let s = try funnelData()
    defer { s.remove() }
    let funnel = try crm(s, ["report", "funnel", "--csv"])
    #expect(funnel.status == 0, "\(funnel.err)")
    let records = funnel.out.components(separatedBy: "\r\n")
    #expect(records.last == "")
    #expect(records.count == 1 + 7 + 1)
    #expect(records[0] == "stage,name,reached,conversion,stays,mean_days,median_days,open_now")
    #expect(records[1] == "interest,Интерес,4,,3,2.33,2.00,1")
    #expect(records[2] == "offer,КП отправлено,3,0.7500,2,3.00,3.00,0")
    #expect(records[3] == "decision,Ждём решения,2,0.6667,1,1.00,1.00,0")
    #expect(records[6] == "shipped,Отгружено / акт,2,1.0000,0,,,0")
    let sources = try crm(s, ["report", "sources", "--csv"], lang: "en")
    let rows = sources.out.components(separatedBy: "\r\n").dropLast()
    #expect(rows.first == "key,name,created,won,lost,win_rate,revenue_rub")
    #expect(rows.count == 1 + 3)
    #expect(rows.contains("site,Website,2,1,1,0.5000,100000.00"))
    #expect(rows.contains("referral,Referral,1,1,0,1.0000,50000.00"))
    #expect(rows.contains(",(not set),1,0,0,,0.00"))
    let stuck = try crm(s, ["report", "stuck", "--csv"])
    let stuckRows = stuck.out.components(separatedBy: "\r\n").dropLast()
    #expect(
      stuckRows.first
        == "id,client,client_id,title,stage,stage_name,days_in_stage,days_over,owner,amount,currency"
    )
    #expect(stuckRows.count == 2)
    #expect(stuckRows.last == "4,ООО «Ромашка»,1,D,interest,Интерес,9,3,anna,10000.00,RUB")
  }

  @Test func stuckDealsAndListFilters() throws {
    let s = try funnelData()
    defer { s.remove() }
    let stuck = try jsonArray(s, ["report", "stuck"])
    #expect(stuck.count == 1)
    #expect(stuck[0]["id"] as? Int == 4)
    #expect(stuck[0]["days_in_stage"] as? Int == 9)
    #expect(stuck[0]["days_over"] as? Int == 3)
    #expect(stuck[0]["amount"] as? String == "10000.00")
    #expect(stuck[0]["owner"] as? String == "anna")
    #expect(try jsonArray(s, ["report", "stuck", "--owner", "boris"]).isEmpty)
    let text = try crm(s, ["report", "stuck"])
    #expect(text.out.contains("Интерес") && text.out.contains("+3"))
    #expect(try crm(s, ["report", "stuck", "--owner", "boris"]).out == "Зависших сделок нет.\n")

    func ids(_ args: [String]) throws -> [Int] {
      try jsonArray(s, ["deal", "list"] + args).compactMap { $0["id"] as? Int }
    }
    #expect(try ids([]) == [4, 3, 2, 1])
    #expect(try ids(["--status", "won"]) == [3, 1])
    #expect(try ids(["--status", "open"]) == [4])
    #expect(try ids(["--owner", "boris"]) == [3])
    #expect(try ids(["--mine", "--user", "boris"]) == [3])
    #expect(try ids(["--client", "1"]) == [4, 2, 1])
    #expect(try ids(["--source", "Website"]) == [2, 1])
    #expect(try ids(["--stage", "Выиграна"]) == [3, 1])
    #expect(try ids(["--stage", "won", "--pipeline", "sales"]) == [3, 1])
    #expect(try ids(["--limit", "2", "--offset", "1"]) == [3, 2])
    let d = try #require(try jsonArray(s, ["deal", "list", "--status", "open"]).first)
    #expect(d["days_over"] as? Int == 3)
    #expect(d["stuck"] as? Bool == true)
    let show = try crm(s, ["deal", "show", "4"])
    #expect(show.out.contains("Этап: Интерес (interest), 9\u{00A0}дн. — зависла: на 3\u{00A0}дн."))
  }

  @Test func listFitsEightyColumnsAndCutsWithAnEllipsis() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(
      s, "Торгово-производственная компания «Северный металлургический комбинат»")
    _ = try addDeal(
      s, client: client, "Поставка металлоконструкций для строительства склада",
      ["--amount", "123456789012.99"])
    _ = try addDeal(s, client: client, "Сервис", ["--amount", "5000", "--currency", "USD"])
    #expect(try crm(s, ["deal", "move", "1", "--to", "Отгружено / акт"]).status == 0)
    for lang in ["ru", "en"] {
      let r = try crm(s, ["deal", "list"], lang: lang)
      #expect(r.status == 0, "\(r.err)")
      let lines = r.out.split(separator: "\n")
      #expect(lines.count == 3)
      for line in lines { #expect(line.count <= 80, "\(line.count): \(line)") }
      #expect(lines[2].contains("Поставка металл…"))
      #expect(lines[2].contains("…"))
      #expect(!lines[2].hasSuffix(" "))
    }
    let ru = try crm(s, ["deal", "list"]).out
    #expect(ru.contains("5\u{00A0}000\u{00A0}$"))
    #expect(ru.contains("Отгружено / акт"))
    #expect(ru.contains("123\u{00A0}млрд\u{00A0}₽"))
    let empty = Scratch()
    defer { empty.remove() }
    #expect(try crm(empty, ["deal", "list"]).out == "Сделок нет.\n")
    #expect(try crm(empty, ["deal", "list", "--json"]).out == "[\n\n]\n")
  }

  @Test func pipelineShowListsStagesActionsAndLists() throws {
    let s = Scratch()
    defer { s.remove() }
    let o = try jsonObject(s, ["pipeline", "show"])
    let pipelines = try #require(o["pipelines"] as? [[String: Any]])
    #expect(pipelines.count == 1)
    #expect(pipelines[0]["key"] as? String == "sales")
    #expect(pipelines[0]["default"] as? Bool == true)
    let stages = try #require(pipelines[0]["stages"] as? [[String: Any]])
    #expect(
      stages.map { $0["key"] as? String } == [
        "interest", "offer", "decision", "invoice", "paid", "shipped", "won", "lost",
      ])
    let offer = stages[1]
    #expect(offer["name"] as? String == "КП отправлено")
    #expect(offer["name_en"] as? String == "Offer sent")
    #expect(offer["kind"] as? String == "open")
    #expect(offer["probability"] as? Int == 25)
    #expect(offer["stuck_days"] as? Int == 5)
    #expect(
      offer["actions"] as? [String] == ["draft offer", "plan call +3d \"Узнать решение по КП\""])
    #expect(stages[6]["stuck_days"] is NSNull)
    #expect(stages[7]["kind"] as? String == "lost")
    let sources = try #require(o["lead_sources"] as? [[String: Any]])
    #expect(sources.first?["key"] as? String == "site")
    #expect(sources.first?["name"] as? String == "Сайт")
    let reasons = try #require(o["lost_reasons"] as? [[String: Any]])
    #expect(reasons.count == 7)
    let text = try crm(s, ["pipeline", "show"])
    #expect(text.status == 0)
    for part in [
      "Воронка sales «Продажи» (по умолчанию)", "offer", "КП отправлено", "25\u{00A0}%",
      "5\u{00A0}дн.", "→ черновик КП", "→ запланировать: звонок через +3d «Узнать решение по КП»",
      "→ требует: сумма", "Источники:", "Причины проигрыша:", "Пропал, не отвечает",
    ] {
      #expect(text.out.contains(part), "\(part)")
    }
    for line in text.out.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    let en = try crm(s, ["pipeline", "show"], lang: "en")
    #expect(en.out.contains("Offer sent") && en.out.contains("→ draft an offer"))
  }

  @Test func handoverWithDealsCountsOpenDealsOnADryRunToo() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    #expect(try crm(s, ["client", "add", "--name", "Сигма", "--user", "boris"]).status == 0)
    let open = try addDeal(s, client: client, "Поставка")
    let won = try addDeal(s, client: client, "Монтаж")
    #expect(try crm(s, ["deal", "won", won]).status == 0)
    let dry = try jsonObject(
      s, ["handover", "--from", "anna", "--to", "boris", "--with-deals", "--dry-run"])
    #expect(dry["deals"] as? Int == 1)
    #expect(dry["clients"] as? Int == 1)
    #expect(try jsonObject(s, ["deal", "show", open])["owner"] as? String == "anna")
    let done = try crm(s, ["handover", "--from", "anna", "--to", "boris", "--with-deals"])
    #expect(done.status == 0, "\(done.err)")
    #expect(done.out.contains("сделок 1"))
    #expect(try jsonObject(s, ["deal", "show", open])["owner"] as? String == "boris")
    #expect(try jsonObject(s, ["deal", "show", won])["owner"] as? String == "anna")
  }
}
