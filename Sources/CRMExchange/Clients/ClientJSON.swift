import CRMCore
import Foundation

/// The `--json` shape of clients, stable for scripts: snake_case keys, ISO 8601 dates in UTC.
public enum ClientJSON {
  static func iso(_ d: Date?) -> Any { JSONText.iso(d) }

  /// One list row.
  /// A list row; a search's row found other than by its name says why (`match`: inn, phone,
  /// email, person, other; `match_detail`: the person's name or the fields).
  public static func object(_ r: ClientRow) -> [String: Any] {
    var o: [String: Any] = [
      "id": r.id, "name": r.name, "city": r.city, "phone": r.phone, "segment": r.segment,
      "owner": r.owner, "last_contact": iso(r.lastContact),
    ]
    if r.match != .name {
      o["match"] = r.match.kind
      o["match_detail"] = r.match.detail
    }
    return o
  }

  /// A whole client with its contact persons.
  public static func object(_ c: Client, persons: [ContactPerson], owner: String?) -> [String: Any]
  {
    [
      "id": c.id ?? 0, "version": c.version.map { $0 as Any } ?? NSNull(),
      "kind": c.kind.rawValue, "name": c.name, "display_name": c.displayName,
      "legal_form": c.legalForm, "inn": c.inn, "kpp": c.kpp, "ogrn": c.ogrn,
      "phones": c.phones.map { ["raw": $0.raw, "e164": $0.e164 as Any? ?? NSNull()] },
      "emails": c.emails, "website": c.website, "city": c.city,
      "legal_address": c.legalAddress, "actual_address": c.actualAddress,
      "postal_address": c.postalAddress,
      "bank_accounts": c.bankAccounts.map {
        [
          "bik": $0.bik, "account": $0.account, "corr_account": $0.corrAccount,
          "bank_name": $0.bankName,
        ]
      },
      "lead_source": c.leadSource, "segment": c.segment, "owner": owner as Any? ?? NSNull(),
      "tags": c.tags, "notes": c.notes, "created_at": iso(c.createdAt),
      "updated_at": iso(c.updatedAt), "deleted_at": iso(c.deletedAt),
      "last_contact": iso(c.lastContactAt),
      "persons": persons.map {
        [
          "id": $0.id ?? 0, "name": $0.name, "position": $0.position,
          "phones": $0.phones.map(\.raw), "emails": $0.emails, "birthday": $0.birthday,
          "notes": $0.notes,
        ] as [String: Any]
      },
    ]
  }
}

/// Our own client file, full fidelity: every field of every client, its contact persons and
/// its owner by login, so an export imported into an empty base and exported again gives the
/// same bytes.
///
/// Layout: the first line is `{"format":"termcrm-clients","version":1,"clients":[`, then one
/// client per line (a JSON object, keys sorted, commas between lines), then `]}`. The reader
/// streams that layout line by line (line numbers in messages are the file's); any other
/// well-formed JSON of the same shape (pretty-printed, reformatted) is read whole and its
/// clients are numbered from 1 instead.
extension ClientJSON {
  public static let fileFormat = "termcrm-clients"
  public static let fileVersion = 1
  static let firstLine = "{\"format\":\"termcrm-clients\",\"version\":1,\"clients\":["

  /// ISO 8601 in UTC, as the JSON outputs write times.

  public static func fileBegin() -> Data { Data((firstLine + "\n").utf8) }
  public static func fileEnd() -> Data { Data("]}\n".utf8) }

  /// One client's line, without the comma.
  public static func fileObject(_ e: ExportedClient) -> Data {
    let c = e.client
    let object: [String: Any] = [
      "kind": c.kind.rawValue, "name": c.name, "legal_form": c.legalForm, "inn": c.inn,
      "kpp": c.kpp, "ogrn": c.ogrn, "phones": c.phones.map(\.raw), "emails": c.emails,
      "website": c.website, "city": c.city, "legal_address": c.legalAddress,
      "actual_address": c.actualAddress, "postal_address": c.postalAddress,
      "bank_accounts": c.bankAccounts.map {
        [
          "bik": $0.bik, "account": $0.account, "corr_account": $0.corrAccount,
          "bank_name": $0.bankName,
        ]
      },
      "lead_source": c.leadSource, "segment": c.segment,
      "owner": e.ownerLogin.isEmpty ? NSNull() : e.ownerLogin, "tags": c.tags, "notes": c.notes,
      "created_at": iso(c.createdAt),
      "persons": e.persons.map {
        [
          "name": $0.name, "position": $0.position, "phones": $0.phones.map(\.raw),
          "emails": $0.emails, "birthday": $0.birthday, "notes": $0.notes,
        ] as [String: Any]
      },
    ]
    return
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
  }

  /// A whole export in memory (tests, small files).
  public static func file(_ clients: [ExportedClient]) -> Data {
    var out = fileBegin()
    for (i, c) in clients.enumerated() {
      out += fileObject(c)
      out += Data((i + 1 < clients.count ? ",\n" : "\n").utf8)
    }
    return out + fileEnd()
  }
}

/// Reads our client file (see `ClientJSON`), producing import items.
public final class ClientJSONReader {
  private var items: [ImportItem] = []
  private var index = 0
  private let language: Language
  /// Where numbers written without a country code are dialled (ISO 3166, e.g. "RU").
  private let region: String
  private var lines: LineSource?
  public private(set) var bytesRead: Int64 = 0
  public let totalBytes: Int64

  /// Reads a file: our one-client-per-line layout streams; other layouts are read whole.
  public convenience init(
    url: URL, language: Language, region: String = PhoneNumber.defaultRegion
  ) throws {
    let data: Data
    let handle = try openForImport(url)
    do {
      defer { try? handle.close() }
      data = try handle.read(upToCount: 256) ?? Data()
    } catch {
      throw ImportFileError.unreadable(url, error)
    }
    let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
    if data.starts(with: Data(ClientJSON.firstLine.utf8)) {
      try self.init(
        streaming: try LineSource(url: url), total: Int64(size), language: language,
        region: region)
    } else {
      let whole: Data
      do { whole = try Data(contentsOf: url) } catch {
        throw ImportFileError.unreadable(url, error)
      }
      try self.init(data: whole, language: language, region: region)
    }
  }

  init(streaming: LineSource, total: Int64, language: Language, region: String) throws {
    self.language = language
    self.region = region
    self.lines = streaming
    self.totalBytes = total
    _ = try streaming.next()  // the first line, checked by the caller
  }

  /// Parses a whole document in memory.
  public init(
    data: Data, language: Language, region: String = PhoneNumber.defaultRegion
  ) throws {
    self.language = language
    self.region = region
    self.totalBytes = Int64(data.count)
    let l = language
    if data.starts(with: Data(ClientJSON.firstLine.utf8)) {
      var text = String(decoding: data, as: UTF8.self).split(
        omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" })
      if text.last?.isEmpty == true { text.removeLast() }
      let source = LineSource(lines: text.map(String.init))
      lines = source
      _ = try source.next()
      return
    }
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw ImportFileError(
        line: 0, en: "not JSON: \(error.localizedDescription)",
        ru: "не JSON: \(error.localizedDescription)")
    }
    guard let root = object as? [String: Any], root["format"] as? String == ClientJSON.fileFormat
    else {
      throw ImportFileError(
        line: 0, en: "not a TermCRM client file (no \"format\": \"termcrm-clients\")",
        ru: "не файл клиентов TermCRM (нет \"format\": \"termcrm-clients\")")
    }
    let version = root["version"] as? Int ?? 0
    guard version >= 1 && version <= ClientJSON.fileVersion else {
      throw ImportFileError(
        line: 0,
        en: "client file version \(version); this TermCRM reads up to \(ClientJSON.fileVersion)",
        ru:
          "файл клиентов версии \(version); эта версия TermCRM читает до \(ClientJSON.fileVersion)")
    }
    guard let clients = root["clients"] as? [Any] else {
      throw ImportFileError(
        line: 0, en: "no \"clients\" list", ru: "нет списка \"clients\"")
    }
    items = clients.enumerated().map {
      Self.item($0.element, line: $0.offset + 1, l, region: region)
    }
  }

  public func next() throws -> ImportItem? {
    if let lines {
      while let (n, text) = try lines.next() {
        bytesRead = lines.bytesRead
        var t = Substring(text).trimmingCharacters(in: .whitespaces)
        if t.isEmpty { continue }
        if t == "]}" {
          if let (m, extra) = try lines.next(), !extra.trimmingSpaces().isEmpty {
            throw ImportFileError(
              line: m, en: "text after the end of the client list",
              ru: "текст после конца списка клиентов")
          }
          return nil
        }
        if t.hasSuffix(",") { t.removeLast() }
        guard let object = try? JSONSerialization.jsonObject(with: Data(t.utf8)) else {
          throw ImportFileError(
            line: n, en: "not a JSON object (is the file cut or edited?)",
            ru: "не объект JSON (файл обрезан или правлен?)")
        }
        return Self.item(object, line: n, language, region: region)
      }
      throw ImportFileError(
        line: lines.lineNumber, en: "the file ends before \"]}\": it is cut short",
        ru: "файл кончается раньше \"]}\": он обрезан")
    }
    guard index < items.count else { return nil }
    defer { index += 1 }
    return items[index]
  }

  static func item(
    _ object: Any, line: Int, _ l: Language, region: String = PhoneNumber.defaultRegion
  ) -> ImportItem {
    guard let o = object as? [String: Any] else {
      return .rejected(
        ImportIssue(line: line, field: "", reason: l.pick("not an object", "не объект")))
    }
    var problem: (String, String)?
    func text(_ key: String, _ from: [String: Any]? = nil) -> String {
      let source = from ?? o
      guard let v = source[key], !(v is NSNull) else { return "" }
      if let s = v as? String { return s }
      if problem == nil {
        problem = (key, l.pick("must be text", "должно быть строкой"))
      }
      return ""
    }
    func list(_ key: String, _ from: [String: Any]? = nil) -> [String] {
      let source = from ?? o
      guard let v = source[key], !(v is NSNull) else { return [] }
      if let a = v as? [String] { return a }
      if problem == nil {
        problem = (key, l.pick("must be a list of text", "должно быть списком строк"))
      }
      return []
    }
    var c = Client(name: text("name"))
    let kind = text("kind")
    if !kind.isEmpty {
      guard let k = ClientKind(rawValue: kind) else {
        return .rejected(
          ImportIssue(
            line: line, field: "kind",
            reason: l.pick("must be company or person", "должно быть company или person")))
      }
      c.kind = k
    }
    c.legalForm = text("legal_form")
    c.inn = text("inn")
    c.kpp = text("kpp")
    c.ogrn = text("ogrn")
    c.phones = list("phones").map { Phone($0, region: region) }
    c.emails = list("emails")
    c.website = text("website")
    c.city = text("city")
    c.legalAddress = text("legal_address")
    c.actualAddress = text("actual_address")
    c.postalAddress = text("postal_address")
    c.leadSource = text("lead_source")
    c.segment = text("segment")
    c.tags = list("tags")
    c.notes = text("notes")
    let created = text("created_at")
    if !created.isEmpty {
      guard let d = ISO8601DateFormatter().date(from: created) else {
        return .rejected(
          ImportIssue(
            line: line, field: "created_at",
            reason: l.pick(
              "«\(created)» is not an ISO 8601 time", "«\(created)» — не время ISO 8601")))
      }
      c.createdAt = d
    }
    for a in o["bank_accounts"] as? [[String: Any]] ?? [] {
      c.bankAccounts.append(
        BankAccount(
          bik: text("bik", a), account: text("account", a),
          corrAccount: text("corr_account", a), bankName: text("bank_name", a)))
    }
    var persons: [ContactPerson] = []
    for p in o["persons"] as? [[String: Any]] ?? [] {
      persons.append(
        ContactPerson(
          clientId: 0, name: text("name", p), position: text("position", p),
          phones: list("phones", p).map { Phone($0, region: region) }, emails: list("emails", p),
          birthday: text("birthday", p), notes: text("notes", p)))
    }
    if let problem {
      return .rejected(ImportIssue(line: line, field: problem.0, reason: problem.1))
    }
    let owner = text("owner")
    return .row(
      ImportRow(line: line, client: c, persons: persons, ownerLogin: owner.isEmpty ? nil : owner))
  }
}

/// UTF-8 lines of a file, streamed in 64 KiB chunks (CRLF, LF or CR), or of an array.
final class LineSource {
  private var handle: FileHandle?
  private var splitter = LineSplitter()
  private var ready: [(Int, String)] = []
  private var readyIndex = 0
  private var done = false
  private(set) var bytesRead: Int64 = 0
  private(set) var lineNumber = 0

  init(url: URL) throws {
    handle = try openForImport(url)
  }

  init(lines: [String]) {
    ready = lines.enumerated().map { ($0.offset + 1, $0.element) }
    done = true
  }

  deinit { try? handle?.close() }

  func next() throws -> (Int, String)? {
    while readyIndex >= ready.count {
      ready.removeAll(keepingCapacity: true)
      readyIndex = 0
      guard !done, let handle else { return nil }
      let chunk = (try? handle.read(upToCount: ClientCSVReader.chunkSize)) ?? Data()
      bytesRead += Int64(chunk.count)
      var bad = 0
      let emit: (UnsafeBufferPointer<UInt8>, Int) -> Void = { b, n in
        if bad == 0 && !isValidUTF8(b) { bad = n }
        self.ready.append((n, String(decoding: b, as: UTF8.self)))
      }
      if chunk.isEmpty {
        done = true
        splitter.finish(emit)
      } else {
        chunk.withUnsafeBytes { raw in splitter.feed(raw.bindMemory(to: UInt8.self), emit) }
        if splitter.carry.count > ClientCSVReader.maxRecordBytes {
          throw ImportFileError(
            line: splitter.lineNumber + 1, en: "line too long", ru: "слишком длинная строка")
        }
      }
      if bad > 0 { throw ImportFileError(line: bad, en: "not valid UTF-8", ru: "не UTF-8") }
    }
    defer { readyIndex += 1 }
    lineNumber = ready[readyIndex].0
    return ready[readyIndex]
  }
}
