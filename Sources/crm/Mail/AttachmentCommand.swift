import ArgumentParser
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

/// `crm attach`: files kept with clients and deals, inside the database.
struct AttachCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attach",
    abstract: tr(
      "Files of clients and deals, kept inside the database (backups carry them).",
      "Файлы клиентов и сделок, хранятся внутри базы (резервные копии их включают)."),
    subcommands: [Add.self, List.self, Get.self, Remove.self])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Attach files to a client or a deal; prints their ids.",
        "Прикрепить файлы к клиенту или сделке; выводит их номера."),
      discussion: tr(
        "The same content is stored once. A file over attachment_max_mb (default 25) is refused; "
          + "nothing is stored unless every file is.",
        "Одинаковое содержимое хранится один раз. Файл больше attachment_max_mb (по умолчанию 25) "
          + "не принимается; не сохраняется ничего, если не сохраняются все файлы."))
    @OptionGroup var global: Global
    @Option(help: tr("Client id.", "Номер клиента.")) var client: Int64?
    @Option(help: tr("Deal id.", "Номер сделки.")) var deal: Int64?
    @Argument(help: tr("Files.", "Файлы.")) var files: [String]

    func check() throws {
      let l = global.language
      if (client == nil) == (deal == nil) {
        throw fail(
          .invalid(
            field: "--client/--deal",
            problem: l.pick("give one of them", "укажите одно из двух")), global)
      }
      if files.isEmpty {
        throw fail(.invalid(field: "FILE", problem: l.pick("name a file", "укажите файл")), global)
      }
    }

    func run(_ session: Session) throws {
      let service = session.context.attachments
      let limit = try service.maxBytes()
      var loaded: [AttachmentFile] = []
      for path in files {
        let data = try readLimited(path, limit: limit)
        let name = (path as NSString).lastPathComponent
        loaded.append(
          AttachmentFile(name: name, mime: AttachmentFile.mime(forName: name), data: data))
      }
      for id in try service.add(clientId: client, dealId: deal, loaded) { print(id) }
    }

    /// The file's bytes, refusing a non-regular file or one over `limit` before reading it all.
    func readLimited(_ path: String, limit: Int) throws -> Data {
      let l = global.language
      let url = URL(fileURLWithPath: path)
      guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]),
        values.isRegularFile == true
      else {
        throw fail(
          .unreadable(path: path, reason: l.pick("not a readable file", "не читаемый файл")),
          global)
      }
      if let size = values.fileSize, size > limit {
        throw fail(
          .invalid(
            field: path,
            problem: l.pick(
              "is \(AttachmentService.sizeText(Int64(size), l)), over attachment_max_mb",
              "— \(AttachmentService.sizeText(Int64(size), l)), больше attachment_max_mb")),
          global)
      }
      do { return try Data(contentsOf: url) } catch {
        throw fail(.unreadable(path: path, reason: error.localizedDescription), global)
      }
    }
  }

  struct List: CRMCommand {
    static let readOnly = true
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "List attachments of a client (with its deals') or of a deal, newest first.",
        "Список вложений клиента (с его сделками) или сделки, сначала новые."))
    @OptionGroup var global: Global
    @Option(help: tr("Client id.", "Номер клиента.")) var client: Int64?
    @Option(help: tr("Deal id.", "Номер сделки.")) var deal: Int64?
    @Option(help: tr("At most this many.", "Не больше стольких.")) var limit: Int = 200
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let l = global.language
      let rows = try session.context.attachments.list(clientId: client, dealId: deal, limit: limit)
      if output.json {
        printJSON(
          rows.map { a -> [String: Any] in
            var o: [String: Any] = [
              "id": a.id, "name": a.name, "mime": a.mime, "sha256": a.sha256, "size": a.size,
              "created_at": JSONText.iso(a.createdAt),
            ]
            if let c = a.clientId { o["client_id"] = c }
            if let d = a.dealId { o["deal_id"] = d }
            if let c = a.contactId { o["contact_id"] = c }
            return o
          })
        return
      }
      for a in rows {
        print(
          [
            TextWidth.fit("№\(a.id)", to: 7),
            TextWidth.fit(global.formats.dateTime(a.createdAt), to: 16),
            TextWidth.fit(AttachmentService.sizeText(a.size, l), to: 9, alignRight: true),
            TextWidth.fit(a.dealId.map { l.pick("deal", "сделка") + " \($0)" } ?? "", to: 11),
            a.name,
          ].joined(separator: "  "))
      }
    }
  }

  struct Get: CRMCommand {
    static let readOnly = true
    static let configuration = CommandConfiguration(
      commandName: "get",
      abstract: tr("Write an attachment to a file.", "Записать вложение в файл."))
    @OptionGroup var global: Global
    @Argument(help: tr("Attachment id.", "Номер вложения.")) var id: Int64
    @Option(
      help: tr(
        "The file to write (replaced atomically); - for standard output.",
        "Файл для записи (заменяется атомарно); - — стандартный вывод.")) var out: String

    func run(_ session: Session) throws {
      guard let (_, data) = try session.context.attachments.get(id) else {
        throw fail(.notFound(what: global.language.pick("attachment", "вложение"), id: id), global)
      }
      try writeAtomically(data, to: out, global)
    }
  }

  struct Remove: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "rm",
      abstract: tr(
        "Remove an attachment (its content goes when nothing else names it).",
        "Удалить вложение (содержимое удаляется, когда на него больше ничто не ссылается)."))
    @OptionGroup var global: Global
    @Argument(help: tr("Attachment id.", "Номер вложения.")) var id: Int64

    func run(_ session: Session) throws {
      try session.context.attachments.remove(id)
    }
  }
}
