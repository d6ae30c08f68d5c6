-- Opens each file of `_G.files`, waits up to 10 s for its diagnostics, prints them, quits.
-- Run by tests/lsp_client.rs with the Neovim snippet of docs/server.md as init.lua.
local out = {}
for _, file in ipairs(_G.files) do
  vim.cmd.edit(file)
  local buf = vim.api.nvim_get_current_buf()
  local ok = vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  table.insert(out, string.format('%s filetype=%s clients=%d', file, vim.bo[buf].filetype, #vim.lsp.get_clients({ bufnr = buf })))
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, string.format('  %d:%d %s %s', d.lnum + 1, d.col + 1, d.code, d.message:gsub('\n.*', '')))
  end
  if not ok then table.insert(out, '  (no diagnostics)') end
end
io.stdout:write(table.concat(out, '\n') .. '\n')
vim.cmd('qall!')
