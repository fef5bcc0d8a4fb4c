-- Drives Neovim's own LSP client (no plugins, no VS Code commands) against the kube-netlint
-- server: opens a file, waits for code lenses, runs each one with vim.lsp.codelens.run() as a
-- person would with the cursor on the lens line, and writes what happened as JSON to $KN_OUT.
local out, node, server, root, file = os.getenv('KN_OUT'), os.getenv('KN_NODE'), os.getenv('KN_SERVER'),
  os.getenv('KN_ROOT'), os.getenv('KN_FILE')
local result = { notifications = {}, messages = {}, lenses = {}, ran = {} }

local function finish(err)
  result.error = err
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

-- What the person would see: vim.notify (the client's own warnings) and window/showMessage.
vim.notify = function(msg, level)
  table.insert(result.notifications, { msg = msg, level = level })
end
vim.lsp.handlers['window/showMessage'] = function(_, params)
  table.insert(result.messages, params)
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'kube-netlint',
  cmd = { node, server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'ws' } },
})
vim.lsp.buf_attach_client(bufnr, client_id)

local ready = vim.wait(20000, function()
  local c = vim.lsp.get_client_by_id(client_id)
  return c ~= nil and c.initialized
end, 50)
if not ready then
  return finish('the client did not initialize within 20 s')
end
-- One refresh at a time: Neovim ignores a refresh while one is in flight.
vim.lsp.codelens.refresh()
local found = vim.wait(20000, function()
  local lenses = vim.lsp.codelens.get(bufnr)
  return lenses ~= nil and #lenses > 0
end, 50)
if not found then
  return finish('no code lenses within 20 s')
end

for _, l in ipairs(vim.lsp.codelens.get(bufnr)) do
  table.insert(result.lenses, { title = l.command.title, command = l.command.command, line = l.range.start.line })
end

-- Several lenses on one line: codelens.run() asks with vim.ui.select; answer with each in turn.
for i, lens in ipairs(result.lenses) do
  vim.ui.select = function(items, _, on_choice)
    for j, item in ipairs(items) do
      if item.lens.command.title == lens.title then
        return on_choice(item, j)
      end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_win_set_cursor(0, { lens.line + 1, 0 })
  local before = #result.messages + #result.notifications
  vim.lsp.codelens.run()
  local answered = vim.wait(20000, function()
    return #result.messages + #result.notifications > before
  end, 50)
  table.insert(result.ran, { title = lens.title, answered = answered })
  if i == #result.lenses then
    break
  end
end
finish(nil)
