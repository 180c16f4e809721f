-- A mixed flagship load for wrk: 80 % item listings, 20 % item creation,
-- as the superuser (token in the environment: SOAK_TOKEN).
local token = os.getenv("SOAK_TOKEN")
local n = 0
request = function()
  n = n + 1
  local headers = { ["authorization"] = "Bearer " .. token }
  if n % 5 == 0 then
    headers["content-type"] = "application/json"
    return wrk.format("POST", "/api/v1/items/", headers,
      '{"title":"soak item ' .. n .. '","description":"made by the soak"}')
  end
  return wrk.format("GET", "/api/v1/items/", headers)
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("SLICE %d %.1f %.1f %.1f %d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors))
end
