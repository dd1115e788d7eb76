/*
 * geoconflict incident maps: one canvas layer for any number of incidents, with a legend
 * that filters by zone status and event type, a time slider, search and a full-screen button.
 *
 * Every text value in the data was HTML-escaped by geoconflict (Python) before it was written
 * into the page. This file inserts only those pre-escaped strings, its own fixed labels and
 * numbers into HTML; it never evaluates data. Links come only from values geoconflict has
 * checked to be http(s) URLs (and checked again here).
 *
 * This file names no data field and no status code of its own: the options geoconflict
 * writes (geoconflict/maps/_options.py) say which text fields there are and how the popup,
 * the tooltip and the search use them (opts.fields), and what each status code means
 * (opts.status: keys, the inside and unknown codes, draw order, legend order; opts.statusLabels,
 * opts.statusStyle). The data's own layout (n, lat, lon, status, type and the optional day,
 * certain, dist, area, text) is the wire format geoconflict/maps/_payload.py writes.
 *
 * Licence: MIT, as geoconflict.
 */
(function () {
  "use strict";
  if (window.GeoconflictMap) {
    return;
  }
  var L = window.L;
  var DAY_MS = 86400000;
  var registry = [];
  var basemaps = [];

  // ------------------------------------------------------------------ helpers
  /**
   * The same escaping geoconflict applies in Python (geoconflict.maps.escape.escape_html), for
   * matching search text against the data; tests/maps/test_maps_browser.py checks the two agree.
   */
  function escapeHtml(s) {
    return String(s)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;")
      .replace(/`/g, "&#96;")
      .replace(/\\/g, "&#92;")
      .replace(/\$/g, "&#36;")
      .replace(/\{/g, "&#123;")
      .replace(/\}/g, "&#125;");
  }

  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function isoDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function column(c) {
    if (c === undefined || c === null) {
      return function () {
        return null;
      };
    }
    if (Array.isArray(c)) {
      return function (i) {
        var v = c[i];
        return v === undefined ? null : v;
      };
    }
    var k = c.k;
    var v = c.v;
    return function (i) {
      var j = k[i];
      return j === null || j < 0 ? null : v[j];
    };
  }

  function decode(el) {
    var text = el.textContent;
    if (el.getAttribute("data-encoding") === "gzip+base64") {
      if (typeof DecompressionStream === "undefined") {
        return Promise.reject(
          new Error("this browser cannot unpack the incident data (no DecompressionStream): use a current browser")
        );
      }
      var bin = atob(text.replace(/\s+/g, ""));
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) {
        bytes[i] = bin.charCodeAt(i);
      }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text().then(JSON.parse);
    }
    return Promise.resolve(JSON.parse(text));
  }

  function svgDot(style, fill) {
    var r = style.r;
    var pad = (style.weight || 0) + 1;
    var size = 2 * (r + pad);
    var dash = style.dash ? ' stroke-dasharray="' + style.dash.join(",") + '"' : "";
    var stroke = style.stroke ? ' stroke="' + style.stroke + '" stroke-width="' + style.weight + '"' + dash : "";
    var c = size / 2;
    var shape =
      style.shape === "diamond"
        ? '<polygon points="' + [c, c - r, c + r, c, c, c + r, c - r, c].join(",") + '"'
        : '<circle cx="' + c + '" cy="' + c + '" r="' + r + '"';
    return (
      '<svg class="gc-dot" width="' + size + '" height="' + size + '" aria-hidden="true">' +
      shape + ' fill="' + fill + '" fill-opacity="' + style.fillOpacity + '"' + stroke + "></" +
      (style.shape === "diamond" ? "polygon" : "circle") + "></svg>"
    );
  }

  // ------------------------------------------------------------------ pixels
  function offsets(triples, stride) {
    var out = new Int32Array(triples.length / 3);
    for (var q = 0, j = 0; q < triples.length; q += 3, j++) {
      out[j] = triples[q + 1] * stride + triples[q];
    }
    return out;
  }

  /** Source-over of one straight-alpha RGBA pixel ``sv`` onto ``dv`` (both 0xAABBGGRR). */
  function over(sv, dv) {
    var da = dv >>> 24;
    if (da === 0) {
      return sv;
    }
    var sa = sv >>> 24;
    var rest = (da * (255 - sa)) / 255;
    var oa = sa + rest;
    var f1 = sa / oa;
    var f2 = rest / oa;
    var r = ((sv & 255) * f1 + (dv & 255) * f2 + 0.5) | 0;
    var g = (((sv >>> 8) & 255) * f1 + ((dv >>> 8) & 255) * f2 + 0.5) | 0;
    var b = (((sv >>> 16) & 255) * f1 + ((dv >>> 16) & 255) * f2 + 0.5) | 0;
    return (((oa + 0.5) | 0) << 24) | (b << 16) | (g << 8) | r;
  }

  /** Draw sprite ``sp`` with its top-left corner at device pixel (X, Y) into ``buf`` (W x H). */
  function blit(buf, W, H, sp, X, Y) {
    var q;
    var o;
    var n = sp.px;
    if (X >= 0 && Y >= 0 && X + n <= W && Y + n <= H) {
      var base = Y * W + X;
      var offO = sp.offOpaque;
      var valO = sp.opaque;
      for (q = 0; q < offO.length; q++) {
        buf[base + offO[q]] = valO[3 * q + 2];
      }
      var offP = sp.offPartial;
      var valP = sp.partial;
      for (q = 0; q < offP.length; q++) {
        o = base + offP[q];
        buf[o] = over(valP[3 * q + 2], buf[o]);
      }
      return;
    }
    // clipped at the canvas edge: check each pixel
    var lists = [sp.opaque, sp.partial];
    for (var l = 0; l < 2; l++) {
      var t = lists[l];
      for (q = 0; q < t.length; q += 3) {
        var x = X + t[q];
        var y = Y + t[q + 1];
        if (x >= 0 && y >= 0 && x < W && y < H) {
          o = y * W + x;
          buf[o] = l === 0 ? t[q + 2] : over(t[q + 2], buf[o]);
        }
      }
    }
  }

  // ------------------------------------------------------------------ density view
  /** Count a point (canvas CSS pixels) in its pointy-top hexagon of radius R (axial coordinates). */
  function addToHex(hex, x, y, R, flagged) {
    var q = ((Math.sqrt(3) / 3) * x - y / 3) / R;
    var r = ((2 / 3) * y) / R;
    var cx = q;
    var cz = r;
    var cy = -q - r;
    var rx = Math.round(cx);
    var ry = Math.round(cy);
    var rz = Math.round(cz);
    var dx = Math.abs(rx - cx);
    var dy = Math.abs(ry - cy);
    var dz = Math.abs(rz - cz);
    if (dx > dy && dx > dz) {
      rx = -ry - rz;
    } else if (dy <= dz) {
      rz = -rx - ry;
    }
    var key = rx + "," + rz;
    var cell = hex[key] || (hex[key] = [0, 0]);
    cell[0]++;
    if (flagged) {
      cell[1]++;
    }
  }

  /**
   * Draw the hexagons (log colour scale); those holding incidents of the top-ranked status (outside
   * the zone) get a ring of that status' colour. Returns the largest count.
   */
  function drawHexes(ctx, hex, R, dpr, colors, ring) {
    var max = 1;
    var key;
    for (key in hex) {
      if (hex[key][0] > max) {
        max = hex[key][0];
      }
    }
    ctx.save();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.globalAlpha = 0.8;
    for (key in hex) {
      var parts = key.split(",");
      var q = +parts[0];
      var r = +parts[1];
      var x = R * Math.sqrt(3) * (q + r / 2);
      var y = R * 1.5 * r;
      var t = max > 1 ? Math.log(hex[key][0]) / Math.log(max) : 1;
      ctx.fillStyle = colors[Math.min(colors.length - 1, Math.floor(t * colors.length))];
      ctx.beginPath();
      for (var a = 0; a < 6; a++) {
        var ang = (Math.PI / 3) * a + Math.PI / 6;
        var px = x + (R - 0.5) * Math.cos(ang);
        var py = y + (R - 0.5) * Math.sin(ang);
        if (a === 0) {
          ctx.moveTo(px, py);
        } else {
          ctx.lineTo(px, py);
        }
      }
      ctx.closePath();
      ctx.fill();
      if (hex[key][1] && ring) {
        ctx.globalAlpha = 1;
        ctx.lineWidth = 2;
        ctx.strokeStyle = ring;
        ctx.stroke();
        ctx.globalAlpha = 0.8;
      }
    }
    ctx.restore();
    return max;
  }

  // ------------------------------------------------------------------ download
  /** An escaped value as plain text (a textarea's content is read as text: no element is made). */
  function unescapeHtml(s) {
    if (s === null || s === undefined) {
      return "";
    }
    var t = document.createElement("textarea");
    t.innerHTML = s;
    return t.value;
  }

  function csvCell(v, text, formulaStart) {
    var s = v === null || v === undefined ? "" : String(v);
    if (text && s && formulaStart.indexOf(s.charAt(0)) >= 0) {
      s = "'" + s; // a spreadsheet must not run a report's text as a formula
    }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function saveFile(name, type, body) {
    var url = URL.createObjectURL(new Blob([body], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(url);
      a.remove();
    }, 1000);
  }

  // ------------------------------------------------------------------ the canvas layer
  var IncidentLayer = L.Layer.extend({
    options: { padding: 0.5, pane: "geoconflictIncidents", hitTolerance: 3 },

    initialize: function (dataElement, opts) {
      L.setOptions(this, opts);
      this._data = null;
      this._drawnCount = 0;
      this._hits = null;
      this._typeOn = (opts.types || []).map(function () {
        return true;
      });
      this._statusOn = opts.statusLabels.map(function () {
        return true;
      });
      this._dayFrom = -Infinity;
      this._dayTo = Infinity;
      var self = this;
      this.ready = decode(dataElement).then(
        function (raw) {
          self._setData(raw);
          return self;
        },
        function (err) {
          self._fail(err);
          throw err;
        }
      );
      registry.push(this);
    },

    // ---- data
    _setData: function (raw) {
      var n = raw.n;
      var d = {
        n: n,
        lat: Float64Array.from(raw.lat),
        lon: Float64Array.from(raw.lon),
        status: Uint8Array.from(raw.status),
        type: Uint16Array.from(raw.type),
        certain: raw.certain ? Uint8Array.from(raw.certain) : null,
        area: raw.area ? Uint8Array.from(raw.area) : null,
        dist: raw.dist || null,
        day: null,
        text: {},
      };
      if (raw.day) {
        d.day = new Float64Array(n);
        for (var i = 0; i < n; i++) {
          d.day[i] = raw.day[i] === null ? NaN : raw.day[i];
        }
      }
      for (var key in raw.text) {
        if (Object.prototype.hasOwnProperty.call(raw.text, key)) {
          d.text[key] = column(raw.text[key]);
        }
      }
      // draw order: by status rank, then uncertain before certain, then type
      var perm = new Int32Array(n);
      for (var j = 0; j < n; j++) {
        perm[j] = j;
      }
      var st = d.status;
      var ty = d.type;
      var ce = d.certain;
      var rank = this.options.status.rank; // outside on top
      perm.sort(function (a, b) {
        var ra = rank[st[a]];
        var rb = rank[st[b]];
        if (ra !== rb) {
          return ra - rb;
        }
        var ca = ce ? ce[a] : 1;
        var cb = ce ? ce[b] : 1;
        if (ca !== cb) {
          return ca - cb;
        }
        return ty[a] - ty[b] || a - b;
      });
      this._perm = perm;
      this._data = d;
      this._projected = null;
      this._filter();
      this._syncPeriods();
      if (this._map) {
        this._project();
        this._redraw();
      }
      this.fire("load");
    },

    _fail: function (err) {
      this._error = String((err && err.message) || err);
      if (this._map) {
        var box = L.DomUtil.create("div", "gc-error", this._map.getContainer());
        box.textContent = "The incident data could not be loaded: " + this._error;
      }
      if (window.console) {
        window.console.error("geoconflict: " + this._error);
      }
    },

    _project: function () {
      var d = this._data;
      var crs = this._map.options.crs;
      var px = new Float64Array(d.n);
      var py = new Float64Array(d.n);
      for (var i = 0; i < d.n; i++) {
        var p = crs.latLngToPoint(L.latLng(d.lat[i], d.lon[i]), 0);
        px[i] = p.x;
        py[i] = p.y;
      }
      this._px = px;
      this._py = py;
      this._projected = crs;
    },

    _passes: function (i) {
      var d = this._data;
      if (!this._statusOn[d.status[i]] || !this._typeOn[d.type[i]]) {
        return false;
      }
      if (d.day) {
        var day = d.day[i];
        if (day === day && (day < this._dayFrom || day > this._dayTo)) {
          return false; // undated incidents (NaN) always pass
        }
      }
      return true;
    },

    _filter: function () {
      var d = this._data;
      var idx = new Int32Array(d.n);
      var m = 0;
      for (var k = 0; k < d.n; k++) {
        var i = this._perm[k];
        if (this._passes(i)) {
          idx[m++] = i;
        }
      }
      this._visible = idx.subarray(0, m);
      this.fire("filter", { shown: m, total: d.n });
    },

    // ---- Leaflet life cycle
    onAdd: function (map) {
      if (!map.getPane(this.options.pane)) {
        var pane = map.createPane(this.options.pane);
        pane.style.zIndex = 450;
        pane.style.pointerEvents = "none";
      }
      this._canvas = L.DomUtil.create("canvas", "gc-canvas leaflet-zoom-hide");
      this._canvas.style.pointerEvents = "none";
      this.getPane().appendChild(this._canvas);
      this._ctx = this._canvas.getContext("2d");
      map.getContainer().setAttribute("data-gc-density", this._density ? "1" : "0");
      map.on("moveend zoomend resize viewreset", this._redraw, this);
      map.on("click", this._onClick, this);
      map.on("mousemove", this._onMouseMove, this);
      map.on("mouseout", this._hideTooltip, this);
      if (this._data) {
        if (this._projected !== map.options.crs) {
          this._project();
        }
        this._redraw();
      }
      if (this._error) {
        this._fail(this._error);
      }
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this._redraw, this);
      map.off("click", this._onClick, this);
      map.off("mousemove", this._onMouseMove, this);
      map.off("mouseout", this._hideTooltip, this);
      this._hideTooltip();
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
      this._hits = null;
      this._drawnCount = 0;
    },

    getAttribution: function () {
      return this.options.attribution || null;
    },

    // ---- drawing
    _redraw: function () {
      if (!this._map || !this._data || !this._canvas) {
        return;
      }
      var map = this._map;
      var size = map.getSize();
      var pad = this.options.padding;
      var min = map.containerPointToLayerPoint(size.multiplyBy(-pad)).round();
      var w = Math.round(size.x * (1 + 2 * pad));
      var h = Math.round(size.y * (1 + 2 * pad));
      var dpr = window.devicePixelRatio || 1;
      var W = Math.max(1, Math.round(w * dpr));
      var H = Math.max(1, Math.round(h * dpr));
      var canvas = this._canvas;
      if (canvas.width !== W || canvas.height !== H) {
        canvas.width = W;
        canvas.height = H;
        this._image = null;
      }
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
      L.DomUtil.setPosition(canvas, min);
      if (!this._image) {
        this._image = this._ctx.createImageData(W, H);
        this._pixels = new Uint32Array(this._image.data.buffer);
      } else {
        this._pixels.fill(0);
      }
      var buf = this._pixels;

      var crs = map.options.crs;
      var scale = crs.scale(map.getZoom()) / crs.scale(0);
      var origin = map.getPixelOrigin();
      var ox = origin.x + min.x;
      var oy = origin.y + min.y;
      var d = this._data;
      var vis = this._visible;
      var styles = this.options.statusStyle;
      var colors = this.options.types.map(function (t) {
        return t.color;
      });
      var hx = new Float32Array(vis.length);
      var hy = new Float32Array(vis.length);
      var hr = new Float32Array(vis.length);
      var hi = new Int32Array(vis.length);
      var m = 0;
      var k = 0;
      var rank = this.options.status.rank;
      var top = Math.max.apply(null, rank);
      var hex = this._density ? {} : null;
      var R = this.options.densityRadius || 14;
      while (k < vis.length) {
        var first = vis[k];
        var s = d.status[first];
        var c = d.certain ? d.certain[first] : 1;
        var t = d.type[first];
        var sp = this._sprite(s, c, colors[t] || "#888", dpr, W);
        var r = styles[s].r;
        var half = sp.half;
        for (; k < vis.length; k++) {
          var i = vis[k];
          if (d.status[i] !== s || d.type[i] !== t || (d.certain ? d.certain[i] : 1) !== c) {
            break;
          }
          var x = this._px[i] * scale - ox;
          var y = this._py[i] * scale - oy;
          if (x < -half || y < -half || x > w + half || y > h + half) {
            continue;
          }
          if (hex) {
            addToHex(hex, x, y, R, rank[s] === top);
            continue;
          }
          blit(buf, W, H, sp, Math.round((x - half) * dpr), Math.round((y - half) * dpr));
          hx[m] = x + min.x;
          hy[m] = y + min.y;
          hr[m] = r;
          hi[m] = i;
          m++;
        }
      }
      this._ctx.putImageData(this._image, 0, 0);
      if (hex) {
        var topStyle = styles[rank.indexOf(top)];
        this._hexMax = drawHexes(this._ctx, hex, R, dpr, this.options.densityColors, topStyle && topStyle.stroke);
      }
      this._nameTop(hx, hy, hi, m, dpr, rank, top);
      this._hits = { x: hx, y: hy, r: hr, i: hi, n: m };
      this._drawnCount = m;
      map.getContainer().setAttribute("data-gc-drawn", String(m));
      this.fire("draw", { drawn: m });
    },

    /** Name the incidents of the top-ranked status (outside the zone) beside their symbol, when few are drawn. */
    _nameTop: function (hx, hy, hi, m, dpr, rank, top) {
      var limit = this.options.nameTop || 0;
      var d = this._data;
      var pts = [];
      for (var k = 0; k < m && pts.length <= limit; k++) {
        if (rank[d.status[hi[k]]] === top) {
          pts.push(k);
        }
      }
      if (!pts.length || pts.length > limit || !this.options.zone) {
        return;
      }
      var g = this._ctx;
      var pad = this.options.padding;
      var size = this._map.getSize();
      var min = this._map.containerPointToLayerPoint(size.multiplyBy(-pad)).round();
      g.save();
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.font = "bold 12px " + (this.options.labelFont || "sans-serif");
      g.textBaseline = "middle";
      g.lineJoin = "round";
      var seen = {};
      for (var j = 0; j < pts.length; j++) {
        var q = pts[j];
        var name = unescapeHtml(this.title(hi[q]));
        var x = hx[q] - min.x + 12;
        var y = hy[q] - min.y - 6;
        var key = name + "|" + Math.round(x / 4) + "|" + Math.round(y / 4);
        if (seen[key]) {
          continue;
        }
        seen[key] = true;
        g.lineWidth = 3.5;
        g.strokeStyle = "rgba(255,255,255,0.9)";
        g.strokeText(name, x, y);
        g.fillStyle = this.options.statusStyle[d.status[hi[q]]].stroke || "#b2182b";
        g.fillText(name, x, y);
      }
      g.restore();
    },

    /**
     * One incident's symbol, drawn once per status, certainty, colour and pixel ratio, kept as
     * pixels: opaque ones are copied, the anti-aliased and translucent ones blended.
     */
    _sprite: function (s, certain, fill, dpr, rowStride) {
      var key = s + "|" + certain + "|" + fill + "|" + dpr;
      var cache = this._sprites || (this._sprites = {});
      var sp = cache[key];
      if (!sp) {
        var style = this.options.statusStyle[s];
        var r = style.r;
        var pad = Math.ceil((style.weight || 0) + (style.halo ? 2 : 0)) + 2;
        var size = Math.ceil(2 * (r * 1.1 + pad));
        var px = Math.ceil(size * dpr);
        var cv = document.createElement("canvas");
        cv.width = px;
        cv.height = px;
        var g = cv.getContext("2d");
        g.scale(dpr, dpr);
        g.beginPath();
        if (style.shape === "diamond") {
          // a diamond of the same area as the circle would be: outside incidents stand out by shape too
          var q = r * 1.1;
          g.moveTo(size / 2, size / 2 - q);
          g.lineTo(size / 2 + q, size / 2);
          g.lineTo(size / 2, size / 2 + q);
          g.lineTo(size / 2 - q, size / 2);
          g.closePath();
        } else {
          g.arc(size / 2, size / 2, r, 0, 2 * Math.PI);
        }
        g.globalAlpha = style.fillOpacity;
        g.fillStyle = fill;
        g.fill();
        g.globalAlpha = 1;
        if (style.halo) {
          g.lineWidth = style.weight + 2;
          g.strokeStyle = style.halo;
          g.stroke();
        }
        if (style.stroke && style.weight > 0) {
          g.setLineDash(style.dash || (certain ? [] : [3, 2]));
          g.lineWidth = style.weight;
          g.strokeStyle = style.stroke;
          g.stroke();
        }
        var pix = new Uint32Array(g.getImageData(0, 0, px, px).data.buffer);
        var opaque = [];
        var partial = [];
        for (var yy = 0; yy < px; yy++) {
          for (var xx = 0; xx < px; xx++) {
            var v = pix[yy * px + xx];
            var a = v >>> 24;
            if (a === 255) {
              opaque.push(xx, yy, v);
            } else if (a > 0) {
              partial.push(xx, yy, v);
            }
          }
        }
        sp = {
          half: size / 2,
          px: px,
          opaque: Uint32Array.from(opaque),
          partial: Uint32Array.from(partial),
          stride: -1,
          offOpaque: null,
          offPartial: null,
        };
        cache[key] = sp;
      }
      if (sp.stride !== rowStride) {
        // offsets into the canvas' pixel rows, for this canvas width
        sp.offOpaque = offsets(sp.opaque, rowStride);
        sp.offPartial = offsets(sp.partial, rowStride);
        sp.stride = rowStride;
      }
      return sp;
    },

    /** The incidents drawn under ``layerPoint``, the one on top first ([] for none). */
    _hitTest: function (layerPoint) {
      var h = this._hits;
      var out = [];
      if (!h) {
        return out;
      }
      var tol = this.options.hitTolerance;
      for (var k = h.n - 1; k >= 0; k--) {
        var dx = h.x[k] - layerPoint.x;
        var dy = h.y[k] - layerPoint.y;
        var rr = h.r[k] + tol;
        if (dx * dx + dy * dy <= rr * rr) {
          out.push(h.i[k]);
        }
      }
      return out;
    },

    _onClick: function (e) {
      if (this._density) {
        // the hexagons count incidents: a click zooms in on them
        this._map.setZoomAround(e.latlng, Math.min(this._map.getMaxZoom(), this._map.getZoom() + 2));
        return;
      }
      var hits = this._hitTest(e.layerPoint);
      if (hits.length) {
        this._hideTooltip();
        this._hoverIndex = hits[0]; // no tooltip over the popup while the pointer stays here
        this.openPopup(hits[0], hits);
      }
    },

    _onMouseMove: function (e) {
      var self = this;
      this._lastMove = e.layerPoint;
      if (this._moveQueued) {
        return;
      }
      this._moveQueued = true;
      L.Util.requestAnimFrame(function () {
        self._moveQueued = false;
        if (!self._map) {
          return;
        }
        var hits = self._hitTest(self._lastMove);
        var i = hits.length ? hits[0] : -1;
        self._map.getContainer().style.cursor = i >= 0 ? "pointer" : "";
        if (i < 0) {
          self._hideTooltip();
        } else if (i !== self._hoverIndex) {
          self._hoverIndex = i;
          if (!self._tooltip) {
            self._tooltip = L.tooltip({ direction: "top", offset: [0, -8], className: "gc-tooltip gc-incident-tooltip" });
          }
          var more = hits.length > 1 ? ' <span class="gc-more">(+' + (hits.length - 1) + " more here)</span>" : "";
          self._tooltip.setLatLng(self.latLng(i)).setContent(self.tooltipHtml(i) + more);
          self._map.openTooltip(self._tooltip);
        }
      });
    },

    _hideTooltip: function () {
      this._hoverIndex = -1;
      if (this._tooltip && this._map) {
        this._map.closeTooltip(this._tooltip);
      }
    },

    // ---- content
    latLng: function (i) {
      return L.latLng(this._data.lat[i], this._data.lon[i]);
    },

    text: function (field, i) {
      if (field === this.options.fields.date) {
        return this.dateText(i);
      }
      var f = this._data.text[field];
      return f ? f(i) : null;
    },

    /** The first of the title fields an incident has, else "Incident". */
    title: function (i) {
      var names = this.options.fields.title;
      for (var k = 0; k < names.length; k++) {
        var v = this.text(names[k], i);
        if (v) {
          return v;
        }
      }
      return "Incident";
    },

    /** The report's own spelling when it differs from the title (options.fields.reported), else null. */
    reported: function (i) {
      var names = this.options.fields.reported || [];
      var title = this.title(i);
      for (var k = 0; k < names.length; k++) {
        var v = this.text(names[k], i);
        if (v && fold(v) !== fold(title)) {
          return v;
        }
      }
      return null;
    },

    /** The title with the reported spelling beside it: "Ordubad — reported as “Orduba”". */
    titleHtml: function (i) {
      var r = this.reported(i);
      return this.title(i) + (r ? ' <span class="gc-reported">— reported as \u201c' + r + "\u201d</span>" : "");
    },

    /** YYYY-MM-DD for a dated incident, else the date text the table had (escaped), else null. */
    dateText: function (i) {
      var d = this._data;
      if (d.day) {
        var day = d.day[i];
        if (day === day) {
          return isoDay(day);
        }
      }
      var f = d.text[this.options.fields.date];
      return f ? f(i) : null;
    },

    statusLabel: function (i) {
      var s = this._data.status[i];
      return this.options.statusLabels[s];
    },

    tooltipHtml: function (i) {
      var o = this.options;
      var parts = ["<b>" + this.titleHtml(i) + "</b>"];
      var date = this.dateText(i);
      if (date) {
        parts.push(date);
      }
      var type = o.types[this._data.type[i]];
      if (type && !type.unspecified) {
        parts.push(type.name);
      }
      var s = this._data.status[i];
      if (s !== o.status.unknown) {
        parts.push('<span class="gc-status-' + o.status.keys[s] + '">' + o.statusLabels[s] + "</span>");
      }
      return parts.join(" · ");
    },

    popupHtml: function (i) {
      var o = this.options;
      var F = o.fields;
      var d = this._data;
      var self = this;
      var t = function (f) {
        return self.text(f, i);
      };
      var title = this.title(i);
      var out = ['<div class="gc-popup">', '<div class="gc-popup-title">' + this.titleHtml(i) + "</div>"];
      var places = [];
      F.places.forEach(function (f) {
        var v = t(f);
        if (v && v !== title && places.indexOf(v) < 0) {
          places.push(v);
        }
      });
      if (places.length) {
        out.push('<div class="gc-popup-place">' + places.join(", ") + "</div>");
      }
      var s = d.status[i];
      if (s !== o.status.unknown) {
        var line = o.statusLabels[s];
        var dist = d.dist ? d.dist[i] : null;
        if (s !== o.status.inside && dist !== null && dist !== undefined) {
          line += " — " + dist + " km from its edge";
        }
        if (d.certain && !d.certain[i]) {
          line += " (uncertain: the location is too coarse to be sure)";
        }
        out.push('<div class="gc-popup-status gc-status-' + o.status.keys[s] + '">' + line + "</div>");
      }
      var rows = [];
      var add = function (label, value) {
        if (value !== null && value !== undefined && value !== "") {
          rows.push("<tr><th>" + label + "</th><td>" + value + "</td></tr>");
        }
      };
      var table = function () {
        if (rows.length) {
          out.push('<table class="gc-popup-table">' + rows.join("") + "</table>");
        }
        rows = [];
      };
      // rows named in the options: a field's value, an area-coded incident's note, or a
      // field shown only when it differs from the title
      var addRows = function (list) {
        list.forEach(function (row) {
          if (row.area) {
            add(row.label, d.area && d.area[i] ? row.area : null);
          } else {
            var v = t(row.field);
            add(row.label, row.notTitle && v === title ? null : v);
          }
        });
      };
      // what happened, who says so and who denies it, and where it was reported
      add("Date", this.dateText(i));
      var type = o.types[d.type[i]];
      var typeText = type && !type.unspecified ? type.name : null;
      var sub = t(F.subType);
      if (sub && sub !== typeText) {
        typeText = typeText ? typeText + " — " + sub : sub;
      }
      add("Event type", typeText);
      addRows(F.report);
      var source = t(F.source);
      var url = t(F.url);
      if (url && /^https?:\/\//i.test(url)) {
        add("Source", '<a href="' + url + '" target="_blank" rel="noopener noreferrer nofollow">' + (source || url) + "</a>");
      } else {
        add("Source", source);
        add("Source link", t(F.urlText));
      }
      table();
      var sentence = t(F.sentence);
      var notes = t(F.notes);
      if (sentence) {
        out.push('<blockquote class="gc-popup-sentence">' + sentence + "</blockquote>");
      }
      if (notes && notes !== sentence) {
        out.push('<div class="gc-popup-notes">' + notes + "</div>");
      }
      var related = t(F.related);
      if (related) {
        out.push(
          '<details class="gc-popup-related"><summary>Related sentences</summary><ul><li>' +
            related.split(" | ").join("</li><li>") + "</li></ul></details>"
        );
      }
      addRows(F.details);
      table();
      out.push("</div>");
      return out.join("");
    },

    /**
     * Open incident ``i``'s popup. ``stack`` lists every incident at the same spot (``i`` among
     * them): the popup then pages through them.
     */
    openPopup: function (i, stack) {
      var self = this;
      var list = stack && stack.length ? stack : [i];
      var pos = Math.max(0, list.indexOf(i));
      // a popup fits the map it opens on (a notebook cell of 900 x 500 included): it scrolls rather than clips
      var box = this._map.getSize();
      var popup = L.popup({
        maxWidth: Math.max(200, Math.min(380, box.x - 70)),
        minWidth: Math.min(240, box.x - 90),
        maxHeight: Math.max(160, Math.min(380, box.y - 110)),
        className: "gc-popup-wrap",
        autoPanPadding: [20, 20],
      });
      var el = L.DomUtil.create("div", "gc-popup-stack");
      var render = function () {
        var j = list[pos];
        var pager = "";
        if (list.length > 1) {
          pager =
            '<div class="gc-pager"><button type="button" data-gc-step="-1" aria-label="previous incident">&#8249;</button>' +
            "<span>" + (pos + 1) + " of " + list.length + " incidents here</span>" +
            '<button type="button" data-gc-step="1" aria-label="next incident">&#8250;</button></div>';
        }
        el.innerHTML = pager + self.popupHtml(j);
        popup._gcIndex = j;
        if (popup.isOpen && popup.isOpen()) {
          popup.update();
        }
        self.fire("popup", { index: j });
      };
      L.DomEvent.on(el, "click", function (e) {
        var target = e.target && e.target.closest ? e.target.closest("[data-gc-step]") : null;
        if (target) {
          L.DomEvent.stop(e);
          pos = (pos + Number(target.getAttribute("data-gc-step")) + list.length) % list.length;
          render();
        }
      });
      render();
      popup.setLatLng(this.latLng(list[pos])).setContent(el);
      this._map.openPopup(popup);
      return popup;
    },

    // ---- filtering (the legend, the slider and scripts call these)
    setTypeVisible: function (t, on) {
      this._typeOn[t] = !!on;
      this._refresh();
    },
    setStatusVisible: function (s, on) {
      this._statusOn[s] = !!on;
      this._refresh();
    },
    setDateRange: function (fromDay, toDay) {
      this._dayFrom = fromDay === null ? -Infinity : fromDay;
      this._dayTo = toDay === null ? Infinity : toDay;
      this._refresh();
      this._syncPeriods();
      this.fire("daterange", { from: this._dayFrom, to: this._dayTo });
    },

    /** Show the incidents as hexagons counting them (true) or as points (false). */
    setDensity: function (on) {
      this._density = !!on;
      if (this._map) {
        this._map.getContainer().setAttribute("data-gc-density", this._density ? "1" : "0");
      }
      this._refresh();
    },

    // ---- zones over time: the outline in force on the slider's date
    /** ``groups``: one layer group per period of the zone, in the order of options.zone.periods. */
    setZonePeriods: function (groups) {
      this._periodGroups = groups;
      this._syncPeriods();
    },

    /** The period in force on ``day`` (an index into options.zone.periods), or -1. */
    periodAt: function (day) {
      var periods = (this.options.zone && this.options.zone.periods) || [];
      for (var k = 0; k < periods.length; k++) {
        var p = periods[k];
        if ((p.first === null || day >= p.first) && (p.last === null || day <= p.last)) {
          return k;
        }
      }
      return -1;
    },

    /** The slider's date: the end of the date window, else the latest incident's date. */
    sliderDay: function () {
      if (isFinite(this._dayTo)) {
        return this._dayTo;
      }
      var d = this._data;
      var hi = -Infinity;
      for (var i = 0; d && d.day && i < d.n; i++) {
        if (d.day[i] > hi) {
          hi = d.day[i];
        }
      }
      return isFinite(hi) ? hi : null;
    },

    _syncPeriods: function () {
      var groups = this._periodGroups;
      var map = this._gcMap;
      if (!groups || !groups.length || !map) {
        return;
      }
      var day = this.sliderDay();
      var k = day === null ? -2 : this.periodAt(day);
      groups.forEach(function (g, j) {
        var parent = null;
        map.eachLayer(function (l) {
          if (l !== g && l instanceof L.LayerGroup && l.hasLayer && (l.hasLayer(g) || (l._gcPeriods || []).indexOf(g) >= 0)) {
            parent = l;
          }
        });
        if (!parent) {
          return;
        }
        parent._gcPeriods = groups;
        var want = k === -2 || k === j;
        if (want && !parent.hasLayer(g)) {
          parent.addLayer(g);
        } else if (!want && parent.hasLayer(g)) {
          parent.removeLayer(g);
        }
      });
      this._period = k;
      map.getContainer().setAttribute("data-gc-period", String(k));
      this.fire("period", { index: k, day: day });
    },
    _refresh: function () {
      if (!this._data) {
        return;
      }
      this._filter();
      this._redraw();
    },

    // ---- download: the incidents the filters show
    /** Header and rows (plain text) of the incidents shown: the wire format's fields, then every text field. */
    exportTable: function () {
      var d = this._data;
      var o = this.options;
      var cols = o.export.columns;
      var keys = Object.keys(d.text).filter(function (k) {
        return k !== o.fields.date;
      });
      var names = o.export.names || {};
      var header = [cols.lat, cols.lon, cols.day, cols.type, cols.status, cols.dist].concat(
        keys.map(function (k) {
          return names[k] || k;
        })
      );
      var rows = [];
      for (var k = 0; k < this._visible.length; k++) {
        var i = this._visible[k];
        var s = d.status[i];
        var row = [
          d.lat[i],
          d.lon[i],
          unescapeHtml(this.dateText(i)),
          unescapeHtml(o.types[d.type[i]] ? o.types[d.type[i]].name : ""),
          s === o.status.unknown ? "" : o.status.keys[s],
          d.dist && d.dist[i] !== null && d.dist[i] !== undefined ? d.dist[i] : "",
        ];
        for (var j = 0; j < keys.length; j++) {
          row.push(unescapeHtml(d.text[keys[j]](i)));
        }
        rows.push(row);
      }
      return { header: header, rows: rows };
    },

    exportCsv: function () {
      var t = this.exportTable();
      var start = this.options.export.formulaStart;
      var lines = [t.header.map(function (h) {
        return csvCell(h, false, start);
      }).join(",")];
      t.rows.forEach(function (r) {
        lines.push(r.map(function (v, j) {
          return csvCell(v, j >= 2, start);
        }).join(","));
      });
      return lines.join("\r\n") + "\r\n";
    },

    exportGeoJson: function () {
      var t = this.exportTable();
      var features = t.rows.map(function (r) {
        var props = {};
        for (var j = 2; j < t.header.length; j++) {
          props[t.header[j]] = r[j] === "" ? null : r[j];
        }
        return { type: "Feature", geometry: { type: "Point", coordinates: [r[1], r[0]] }, properties: props };
      });
      return JSON.stringify({ type: "FeatureCollection", features: features });
    },

    download: function (kind) {
      var name = this.options.export.file;
      if (kind === "geojson") {
        saveFile(name + ".geojson", "application/geo+json", this.exportGeoJson());
      } else {
        saveFile(name + ".csv", "text/csv;charset=utf-8", "\ufeff" + this.exportCsv());
      }
    },

    // ---- queries (search, tests, scripts)
    stats: function () {
      var d = this._data;
      if (!d) {
        return { loaded: false, error: this._error || null };
      }
      var keys = this.options.status.keys;
      var byStatus = {};
      keys.forEach(function (key) {
        byStatus[key] = 0;
      });
      for (var k = 0; k < this._visible.length; k++) {
        byStatus[keys[d.status[this._visible[k]]]]++;
      }
      return { loaded: true, total: d.n, shown: this._visible.length, drawn: this._drawnCount, byStatus: byStatus };
    },

    /** Indices of the incidents whose (escaped) ``field`` equals ``value`` (escaped here the same way). */
    find: function (field, value) {
      var want = escapeHtml(value);
      var out = [];
      for (var i = 0; i < (this._data ? this._data.n : 0); i++) {
        if (this.text(field, i) === want) {
          out.push(i);
        }
      }
      return out;
    },

    /** Where incident ``i`` lies on the page (client pixels), for a real mouse click. */
    clientPoint: function (i) {
      var p = this._map.latLngToContainerPoint(this.latLng(i));
      var box = this._map.getContainer().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },

    search: function (query, limit) {
      var d = this._data;
      if (!d || !query) {
        return [];
      }
      if (!this._searchIndex) {
        var fields = this.options.fields.search;
        var idx = new Array(d.n);
        for (var i = 0; i < d.n; i++) {
          var parts = [];
          for (var f = 0; f < fields.length; f++) {
            var v = this.text(fields[f], i);
            if (v) {
              parts.push(v);
            }
          }
          idx[i] = fold(parts.join(" | "));
        }
        this._searchIndex = idx;
      }
      var q = fold(escapeHtml(query.trim()));
      var out = [];
      for (var j = 0; j < d.n && out.length < (limit || 10); j++) {
        if (this._searchIndex[j].indexOf(q) >= 0) {
          out.push(j);
        }
      }
      return out;
    },
  });

  // ------------------------------------------------------------------ controls
  var Legend = L.Control.extend({
    options: { position: "bottomright" },
    initialize: function (layer, opts) {
      L.setOptions(this, opts);
      this._layer = layer;
    },
    onAdd: function (map) {
      var layer = this._layer;
      var o = layer.options;
      var div = L.DomUtil.create("div", "gc-legend leaflet-bar");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      div.innerHTML = this._html(o);
      var body = div.querySelector(".gc-legend-body");
      var toggle = div.querySelector(".gc-legend-toggle");
      var setOpen = function (open) {
        body.style.display = open ? "" : "none";
        toggle.setAttribute("aria-expanded", String(open));
      };
      L.DomEvent.on(toggle, "click", function () {
        setOpen(body.style.display === "none");
      });
      // in a small map (a notebook cell) the legend starts folded and never takes more than the map's height
      var fit = function () {
        var size = map.getSize();
        var compact = size.x < 700 || size.y < 560;
        L.DomUtil[compact ? "addClass" : "removeClass"](map.getContainer(), "gc-compact");
        body.style.maxHeight = Math.max(80, size.y - 140) + "px";
        return compact;
      };
      setOpen(!fit());
      map.on("resize", fit);
      this._wire(div, layer, map);
      return div;
    },

    _html: function (o) {
      var html = [];
      html.push(
        '<button type="button" class="gc-legend-toggle" aria-expanded="true" title="Show or hide the legend">' +
          (o.title || "Incidents") +
          "</button>"
      );
      html.push('<div class="gc-legend-body">');
      if (o.zone) {
        html.push(
          '<div class="gc-legend-zone"><span class="gc-zone-swatch"></span><span>Zone: <b>' + o.zone.name + "</b>" +
            (o.zone.label ? '<br><span class="gc-note">outline: ' + o.zone.label + "</span>" : "") +
            (o.zone.periods && o.zone.periods.length ? '<br><span class="gc-note gc-period" data-gc-period-label></span>' : "") +
            (o.zone.details ? '<details class="gc-note"><summary>About this outline</summary>' + o.zone.details + "</details>" : "") +
            "</span></div>"
        );
      }
      var statuses = o.status.legend;
      html.push('<div class="gc-legend-section">' + (o.zone || o.hasStatus ? "Where, relative to the zone" : "Incidents") + "</div>");
      statuses.forEach(function (s) {
        html.push(
          '<label class="gc-legend-row" data-status-row="' + s + '"><input type="checkbox" checked data-status="' + s + '"> ' +
            svgDot(o.statusStyle[s], "#777") + " <span>" + o.statusLabels[s] + '</span> <span class="gc-count" data-status-count="' + s + '"></span></label>'
        );
      });
      if (o.types.length) {
        html.push('<div class="gc-legend-section">Event type</div>');
        o.types.forEach(function (t, k) {
          html.push(
            '<label class="gc-legend-row"><input type="checkbox" checked data-type="' + k + '"> ' +
              svgDot({ r: 5, fillOpacity: 0.9, weight: 0 }, t.color) + " <span>" + t.name + '</span> <span class="gc-count">' + t.count + "</span></label>"
          );
        });
      }
      if (o.choropleth) {
        html.push('<div class="gc-legend-section">' + o.choropleth.title + "</div>");
        o.choropleth.bins.forEach(function (b) {
          html.push('<div class="gc-legend-row"><span class="gc-swatch" style="background:' + b.color + '"></span> ' + b.label + "</div>");
        });
      }
      html.push('<div class="gc-legend-foot" data-gc-shown></div>');
      html.push('<div class="gc-legend-actions">');
      html.push('<label class="gc-legend-row"><input type="checkbox" data-gc-density' + (o.density ? " checked" : "") + "> Density view (hexagons)</label>");
      html.push('<div class="gc-note" data-gc-density-note></div>');
      if (o.download !== false) {
        html.push(
          '<div class="gc-download">Download the incidents shown: ' +
            '<button type="button" data-gc-download="csv">CSV</button> <button type="button" data-gc-download="geojson">GeoJSON</button></div>'
        );
      }
      html.push("</div>");
      if (o.notes && o.notes.length) {
        o.notes.forEach(function (n) {
          html.push('<div class="gc-note">' + n + "</div>");
        });
      }
      html.push("</div>");
      return html.join("");
    },

    _wire: function (div, layer, map) {
      var o = layer.options;
      var statuses = o.status.legend;
      var unknown = o.status.unknown;
      Array.prototype.forEach.call(div.querySelectorAll("input[data-status]"), function (box) {
        L.DomEvent.on(box, "change", function () {
          layer.setStatusVisible(+box.getAttribute("data-status"), box.checked);
        });
      });
      Array.prototype.forEach.call(div.querySelectorAll("input[data-type]"), function (box) {
        L.DomEvent.on(box, "change", function () {
          layer.setTypeVisible(+box.getAttribute("data-type"), box.checked);
        });
      });
      var density = div.querySelector("input[data-gc-density]");
      var densityNote = div.querySelector("[data-gc-density-note]");
      L.DomEvent.on(density, "change", function () {
        layer.setDensity(density.checked);
      });
      layer.on("draw", function () {
        densityNote.textContent = layer._density
          ? "Hexagons: incidents per hexagon, 1 to " + (layer._hexMax || 1).toLocaleString("en") +
            " (log scale); " + (o.zone ? "a red edge: some lie outside the zone; " : "") + "click to zoom in"
          : "";
      });
      Array.prototype.forEach.call(div.querySelectorAll("[data-gc-download]"), function (btn) {
        L.DomEvent.on(btn, "click", function () {
          layer.download(btn.getAttribute("data-gc-download"));
        });
      });
      var periodLabel = div.querySelector("[data-gc-period-label]");
      if (periodLabel) {
        layer.on("period", function (e) {
          var p = e.index >= 0 ? o.zone.periods[e.index] : null;
          periodLabel.innerHTML = p
            ? "outline in force: " + p.label
            : e.index === -2
              ? "every outline shown (no date)"
              : "no outline for " + isoDay(e.day);
        });
      }
      var foot = div.querySelector("[data-gc-shown]");
      var update = function () {
        var s = layer.stats();
        if (!s.loaded) {
          foot.textContent = s.error ? "Incident data not loaded" : "Loading incidents…";
          return;
        }
        foot.textContent = "Showing " + s.shown.toLocaleString("en") + " of " + s.total.toLocaleString("en") + " incidents";
        var d = layer._data;
        var counts = o.statusLabels.map(function () {
          return 0;
        });
        for (var i = 0; i < d.n; i++) {
          counts[d.status[i]]++;
        }
        Array.prototype.forEach.call(div.querySelectorAll("[data-status-count]"), function (el) {
          el.textContent = String(counts[+el.getAttribute("data-status-count")]);
        });
        Array.prototype.forEach.call(div.querySelectorAll("[data-status-row]"), function (el) {
          var st = +el.getAttribute("data-status-row");
          if (st === unknown && statuses.length > 1) {
            el.style.display = counts[unknown] ? "" : "none";
          }
        });
      };
      layer.on("filter load", update);
      update();
    },
  });

  var TimeSlider = L.Control.extend({
    options: { position: "bottomleft" },
    initialize: function (layer, opts) {
      L.setOptions(this, opts);
      this._layer = layer;
    },
    onAdd: function () {
      var div = L.DomUtil.create("div", "gc-slider leaflet-bar");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      div.innerHTML = '<div class="gc-note">Loading dates…</div>';
      var self = this;
      var layer = this._layer;
      if (layer._data) {
        this._build(div);
      } else {
        layer.once("load", function () {
          self._build(div);
        });
      }
      return div;
    },

    _range: function () {
      var d = this._layer._data;
      var lo = Infinity;
      var hi = -Infinity;
      var undated = 0;
      for (var i = 0; i < d.n; i++) {
        var v = d.day ? d.day[i] : NaN;
        if (v === v) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        } else {
          undated++;
        }
      }
      return { lo: lo, hi: hi, undated: undated };
    },

    _build: function (div) {
      var layer = this._layer;
      var range = this._range();
      var lo = range.lo;
      var hi = range.hi;
      if (!(hi > lo)) {
        div.style.display = "none";
        return;
      }
      div.innerHTML =
        '<div class="gc-slider-title">Dates <span data-gc-range></span></div>' +
        '<canvas class="gc-histogram" data-gc-histogram height="36"></canvas>' +
        '<div class="gc-note" data-gc-histogram-note></div>' +
        '<label>from <input type="range" data-gc-from min="' + lo + '" max="' + hi + '" value="' + lo + '" step="1"></label>' +
        '<label>to <input type="range" data-gc-to min="' + lo + '" max="' + hi + '" value="' + hi + '" step="1"></label>' +
        '<div class="gc-slider-buttons"><button type="button" data-gc-play aria-label="Play the dates">\u25b6 Play</button></div>' +
        (range.undated ? '<div class="gc-note">' + range.undated + " undated incidents are always shown</div>" : "");
      var from = div.querySelector("[data-gc-from]");
      var to = div.querySelector("[data-gc-to]");
      var label = div.querySelector("[data-gc-range]");
      var hist = this._histogram(div, lo, hi);
      var queued = false;
      var apply = function (e) {
        var a = +from.value;
        var b = +to.value;
        if (a > b) {
          if (e && e.target === from) {
            to.value = a;
            b = a;
          } else {
            from.value = b;
            a = b;
          }
        }
        label.textContent = isoDay(a) + " – " + isoDay(b);
        hist(a, b);
        if (!queued) {
          queued = true;
          L.Util.requestAnimFrame(function () {
            queued = false;
            layer.setDateRange(+from.value, +to.value);
          });
        }
      };
      from.addEventListener("input", apply);
      to.addEventListener("input", apply);
      this._play(div.querySelector("[data-gc-play]"), from, to, lo, hi, apply);
      apply();
    },

    /** Bars of incidents per day (or per few days on a long range) under the slider; returns the highlighter. */
    _histogram: function (div, lo, hi) {
      var d = this._layer._data;
      var cv = div.querySelector("[data-gc-histogram]");
      var width = 230;
      var days = hi - lo + 1;
      var per = Math.max(1, Math.ceil(days / width));
      var bins = new Float64Array(Math.ceil(days / per));
      for (var i = 0; i < d.n; i++) {
        var v = d.day ? d.day[i] : NaN;
        if (v === v) {
          bins[Math.floor((v - lo) / per)]++;
        }
      }
      var max = 1;
      for (var k = 0; k < bins.length; k++) {
        max = Math.max(max, bins[k]);
      }
      div.querySelector("[data-gc-histogram-note]").textContent =
        "incidents per " + (per === 1 ? "day" : per + " days") + " (highest " + max.toLocaleString("en") + ")";
      var dpr = window.devicePixelRatio || 1;
      cv.width = width * dpr;
      cv.height = 36 * dpr;
      cv.style.width = width + "px";
      cv.style.height = "36px";
      var g = cv.getContext("2d");
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      var bw = width / bins.length;
      this._bins = bins;
      return function (a, b) {
        g.clearRect(0, 0, width, 36);
        for (var j = 0; j < bins.length; j++) {
          if (!bins[j]) {
            continue;
          }
          var day = lo + j * per;
          g.fillStyle = day + per - 1 >= a && day <= b ? "#b2182b" : "#b8b8b8";
          var bh = Math.max(1, (bins[j] / max) * 34);
          g.fillRect(j * bw, 36 - bh, Math.max(1, bw - (bw > 2 ? 0.5 : 0)), bh);
        }
      };
    },

    /** The play button: moves the date window (its width kept, a tenth of the range when it is all of it) to the end. */
    _play: function (button, from, to, lo, hi, apply) {
      var timer = null;
      var stop = function () {
        clearInterval(timer);
        timer = null;
        button.textContent = "\u25b6 Play";
        button.setAttribute("aria-pressed", "false");
      };
      var step = Math.max(1, Math.round((hi - lo) / 150));
      button.addEventListener("click", function () {
        if (timer) {
          stop();
          return;
        }
        var width = +to.value - +from.value;
        if (width >= hi - lo) {
          width = Math.max(0, Math.round((hi - lo) / 10));
        }
        if (+to.value >= hi) {
          from.value = lo;
          to.value = lo + width;
        }
        button.textContent = "\u275a\u275a Pause";
        button.setAttribute("aria-pressed", "true");
        apply();
        timer = setInterval(function () {
          var b = Math.min(hi, +to.value + step);
          from.value = b - width;
          to.value = b;
          apply();
          if (b >= hi) {
            stop();
          }
        }, 120);
      });
    },
  });

  var Search = L.Control.extend({
    options: { position: "topleft" },
    initialize: function (layer, opts) {
      L.setOptions(this, opts);
      this._layer = layer;
    },
    onAdd: function (map) {
      var layer = this._layer;
      var div = L.DomUtil.create("div", "gc-search leaflet-bar");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      div.innerHTML =
        '<input type="search" placeholder="Search places, actors, ids" aria-label="Search incidents">' +
        '<ul class="gc-search-results" role="listbox"></ul>';
      var input = div.querySelector("input");
      var list = div.querySelector("ul");
      var results = [];
      var go = function (i) {
        map.setView(layer.latLng(i), Math.max(map.getZoom(), 10));
        layer.openPopup(i);
        list.innerHTML = "";
      };
      var run = function () {
        results = layer.search(input.value, 10);
        list.innerHTML = results
          .map(function (i, k) {
            var date = layer.dateText(i);
            var title = layer.titleHtml(i);
            return '<li role="option" data-k="' + k + '">' + title + (date ? " <small>" + date + "</small>" : "") + "</li>";
          })
          .join("");
        if (input.value.trim() && !results.length) {
          list.innerHTML = '<li class="gc-none">no match</li>';
        }
      };
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(run, 150);
      });
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") {
          run();
          if (results.length) {
            go(results[0]);
          }
        }
      });
      list.addEventListener("click", function (e) {
        var li = e.target.closest ? e.target.closest("li[data-k]") : null;
        if (li) {
          go(results[+li.getAttribute("data-k")]);
        }
      });
      return div;
    },
  });

  var Fullscreen = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function (map) {
      var div = L.DomUtil.create("div", "gc-fullscreen leaflet-bar");
      var a = L.DomUtil.create("a", "", div);
      a.href = "#";
      a.title = "Full screen";
      a.setAttribute("role", "button");
      a.setAttribute("aria-label", "Full screen");
      a.innerHTML =
        '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" style="vertical-align:middle">' +
        '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#333" stroke-width="2"/></svg>';
      var container = map.getContainer();
      var pseudo = function () {
        L.DomUtil.hasClass(container, "gc-pseudo-fullscreen")
          ? L.DomUtil.removeClass(container, "gc-pseudo-fullscreen")
          : L.DomUtil.addClass(container, "gc-pseudo-fullscreen");
        map.invalidateSize();
      };
      L.DomEvent.on(a, "click", function (e) {
        L.DomEvent.stop(e);
        if (document.fullscreenElement) {
          document.exitFullscreen().catch(function () {});
        } else if (container.requestFullscreen && document.fullscreenEnabled) {
          container.requestFullscreen().catch(pseudo);
        } else {
          pseudo();
        }
      });
      document.addEventListener("fullscreenchange", function () {
        map.invalidateSize();
      });
      return div;
    },
  });

  /** Bind pre-escaped ``_tip`` properties of GeoJSON features as tooltips. */
  function featureTooltip(feature, layer) {
    var tip = feature && feature.properties ? feature.properties._tip : null;
    if (tip) {
      layer.bindTooltip(tip, { sticky: true, direction: "bottom", offset: [0, 12], className: "gc-unit-tooltip" });
    }
  }

  // ------------------------------------------------------------------ the offline base map
  /*
   * Natural Earth land, lakes, rivers, coastlines and borders, and town labels, drawn on one
   * canvas under the tiles (pane z-index 150 < Leaflet's tile pane, 200): it shows whenever
   * tiles are off or fail to load, and tiles that load cover it. Names are drawn with
   * fillText on the canvas only, never inserted as HTML. The layout of the data is the
   * geoconflict-basemap/1 format (geoconflict/maps/_basemap.py); the colours and the zoom
   * thresholds come in the options.
   */
  function decodeLine(enc) {
    // [x0, y0, dx, dy, ...] in 1/1000 degree -> Web Mercator pixels at zoom 0, and a bounding box
    var n = enc.length / 2;
    var out = new Float64Array(enc.length);
    var x = 0;
    var y = 0;
    var minx = Infinity;
    var miny = Infinity;
    var maxx = -Infinity;
    var maxy = -Infinity;
    for (var k = 0; k < n; k++) {
      x += enc[2 * k];
      y += enc[2 * k + 1];
      var lat = Math.max(-85.0511, Math.min(85.0511, y / 1000));
      var px = ((x / 1000 + 180) / 360) * 256;
      var s = Math.sin((lat * Math.PI) / 180);
      var py = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256;
      out[2 * k] = px;
      out[2 * k + 1] = py;
      if (px < minx) minx = px;
      if (px > maxx) maxx = px;
      if (py < miny) miny = py;
      if (py > maxy) maxy = py;
    }
    return { c: out, b: [minx, miny, maxx, maxy] };
  }

  function decodeShapes(list, isPolygon) {
    return list.map(function (item) {
      var parts = isPolygon ? item.map(decodeLine) : [decodeLine(item)];
      var b = parts[0].b.slice();
      parts.forEach(function (p) {
        b = [Math.min(b[0], p.b[0]), Math.min(b[1], p.b[1]), Math.max(b[2], p.b[2]), Math.max(b[3], p.b[3])];
      });
      return { parts: parts, b: b };
    });
  }

  function project(lon, lat) {
    var s = Math.sin((Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180);
    return [((lon + 180) / 360) * 256, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256];
  }

  var BaseMap = L.Layer.extend({
    options: { pane: "geoconflictBasemap", padding: 0.3 },

    initialize: function (dataElement, towns, opts) {
      L.setOptions(this, opts);
      var self = this;
      this._towns = towns || [];
      this.ready = decode(dataElement).then(function (raw) {
        self._setData(raw);
        return self;
      });
      this.ready.catch(function (err) {
        if (window.console) {
          window.console.error("geoconflict: the base map could not be loaded: " + ((err && err.message) || err));
        }
      });
    },

    _setData: function (raw) {
      var lakes = [];
      raw.lakes.forEach(function (lake) {
        decodeShapes(lake.g, true).forEach(function (s) {
          s.r = lake.r;
          lakes.push(s);
        });
      });
      var rivers = [];
      raw.rivers.forEach(function (river) {
        decodeShapes(river.g, false).forEach(function (s) {
          s.r = river.r;
          rivers.push(s);
        });
      });
      var labels = [];
      raw.places.forEach(function (p) {
        labels.push({ name: p[0], xy: project(p[1], p[2]), rank: p[3], pop: p[4], sea: false });
      });
      this._towns.forEach(function (t) {
        labels.push({ name: t[0], xy: project(t[1], t[2]), rank: 99, pop: t[3], sea: false });
      });
      raw.seas.forEach(function (s) {
        labels.push({ name: s[0], xy: project(s[1], s[2]), rank: s[3], pop: 0, sea: true });
      });
      labels.sort(function (a, b) {
        return b.pop - a.pop || a.rank - b.rank;
      });
      this._d = {
        land: decodeShapes(raw.land, true),
        lakes: lakes,
        rivers: rivers,
        coast: decodeShapes(raw.coast, false),
        borders: decodeShapes(raw.borders, false),
        labels: labels,
      };
      this._redraw();
      this.fire("load");
    },

    onAdd: function (map) {
      if (!map.getPane(this.options.pane)) {
        var pane = map.createPane(this.options.pane);
        pane.style.zIndex = 150;
        pane.style.pointerEvents = "none";
      }
      this._canvas = L.DomUtil.create("canvas", "gc-basemap leaflet-zoom-hide");
      this.getPane().appendChild(this._canvas);
      this._oldBackground = map.getContainer().style.background;
      map.getContainer().style.background = this.options.style.water;
      map.on("moveend zoomend resize viewreset", this._redraw, this);
      this._watchTiles(map);
      this._redraw();
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this._redraw, this);
      map.getContainer().style.background = this._oldBackground || "";
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
    },

    getAttribution: function () {
      return this.options.attribution || null;
    },

    /** Say so in the attribution when tiles fail to load (the base map is what shows then). */
    _watchTiles: function (map) {
      var self = this;
      map.eachLayer(function (layer) {
        if (layer instanceof L.TileLayer && !layer._gcWatched) {
          layer._gcWatched = true;
          layer.on("tileerror", function () {
            if (!self._tilesFailed && map.attributionControl) {
              self._tilesFailed = true;
              map.attributionControl.addAttribution(self.options.tilesFailed);
              map.getContainer().setAttribute("data-gc-tiles-failed", "1");
            }
          });
        }
      });
    },

    _redraw: function () {
      var map = this._map;
      if (!map || !this._canvas || !this._d) {
        return;
      }
      var size = map.getSize();
      var pad = this.options.padding;
      var min = map.containerPointToLayerPoint(size.multiplyBy(-pad)).round();
      var w = Math.round(size.x * (1 + 2 * pad));
      var h = Math.round(size.y * (1 + 2 * pad));
      var dpr = window.devicePixelRatio || 1;
      var cv = this._canvas;
      cv.width = Math.max(1, Math.round(w * dpr));
      cv.height = Math.max(1, Math.round(h * dpr));
      cv.style.width = w + "px";
      cv.style.height = h + "px";
      L.DomUtil.setPosition(cv, min);
      var g = cv.getContext("2d");
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      var zoom = map.getZoom();
      var scale = Math.pow(2, zoom);
      var origin = map.getPixelOrigin();
      var view = {
        ox: origin.x + min.x,
        oy: origin.y + min.y,
        s: scale,
        b: [(origin.x + min.x) / scale, (origin.y + min.y) / scale, (origin.x + min.x + w) / scale, (origin.y + min.y + h) / scale],
      };
      var st = this.options.style;
      this._fill(g, this._d.land, view, st.land, null);
      var self = this;
      this._fill(g, this._d.lakes, view, st.water, function (s) {
        return (s.b[2] - s.b[0]) * scale > 2 || (s.b[3] - s.b[1]) * scale > 2;
      });
      g.lineCap = "round";
      g.lineJoin = "round";
      this._stroke(g, this._d.rivers, view, st.river, 1, [], function (s) {
        return s.r <= zoom + self.options.riverRank;
      });
      this._stroke(g, this._d.coast, view, st.coast, 0.8, [], null);
      this._stroke(g, this._d.borders, view, st.border, 1.1, [4, 3], null);
      this._labels(g, view, w, h, zoom);
      map.getContainer().setAttribute("data-gc-basemap", String(this._labelCount));
      this.fire("draw");
    },

    _visible: function (s, view) {
      var b = view.b;
      return !(s.b[2] < b[0] || s.b[0] > b[2] || s.b[3] < b[1] || s.b[1] > b[3]);
    },

    _path: function (g, parts, view) {
      for (var p = 0; p < parts.length; p++) {
        var c = parts[p].c;
        g.moveTo(c[0] * view.s - view.ox, c[1] * view.s - view.oy);
        for (var k = 2; k < c.length; k += 2) {
          g.lineTo(c[k] * view.s - view.ox, c[k + 1] * view.s - view.oy);
        }
      }
    },

    _fill: function (g, shapes, view, colour, keep) {
      g.fillStyle = colour;
      for (var i = 0; i < shapes.length; i++) {
        var s = shapes[i];
        if (this._visible(s, view) && (!keep || keep(s))) {
          g.beginPath();
          this._path(g, s.parts, view);
          g.fill("evenodd");
        }
      }
    },

    _stroke: function (g, shapes, view, colour, width, dash, keep) {
      g.strokeStyle = colour;
      g.lineWidth = width;
      g.setLineDash(dash);
      g.beginPath();
      for (var i = 0; i < shapes.length; i++) {
        var s = shapes[i];
        if (this._visible(s, view) && (!keep || keep(s))) {
          this._path(g, s.parts, view);
        }
      }
      g.stroke();
      g.setLineDash([]);
    },

    /** Town and sea names, the most populous first, none over another. */
    _labels: function (g, view, w, h, zoom) {
      var o = this.options;
      var minPop = o.townPopulation[Math.max(0, Math.min(o.townPopulation.length - 1, zoom))];
      var boxes = [];
      var shown = 0;
      var free = function (b) {
        for (var k = 0; k < boxes.length; k++) {
          var c = boxes[k];
          if (b[0] < c[2] && b[2] > c[0] && b[1] < c[3] && b[3] > c[1]) {
            return false;
          }
        }
        return true;
      };
      g.textBaseline = "middle";
      g.lineJoin = "round";
      var labels = this._d.labels;
      for (var i = 0; i < labels.length && shown < o.maxLabels; i++) {
        var l = labels[i];
        if (l.sea ? l.rank > zoom - 1 : l.rank === 99 ? l.pop < minPop : l.rank > zoom + o.placeRank) {
          continue;
        }
        var x = l.xy[0] * view.s - view.ox;
        var y = l.xy[1] * view.s - view.oy;
        if (x < 0 || y < 0 || x > w || y > h) {
          continue;
        }
        var big = !l.sea && l.pop >= 1000000;
        g.font = (l.sea ? "italic 12px " : big ? "bold 12px " : "11px ") + o.font;
        var tw = g.measureText(l.name).width;
        var bx = l.sea ? [x - tw / 2 - 2, y - 8, x + tw / 2 + 2, y + 8] : [x - 3, y - 8, x + 6 + tw + 2, y + 8];
        if (!free(bx)) {
          continue;
        }
        boxes.push(bx);
        shown++;
        var tx = l.sea ? x - tw / 2 : x + 5;
        g.lineWidth = 3;
        g.strokeStyle = o.style.halo;
        g.strokeText(l.name, tx, y);
        g.fillStyle = l.sea ? o.style.sea : o.style.label;
        g.fillText(l.name, tx, y);
        if (!l.sea) {
          g.beginPath();
          g.arc(x, y, big ? 2.6 : 2, 0, 2 * Math.PI);
          g.fillStyle = o.style.label;
          g.fill();
        }
      }
      this._labelCount = shown;
    },
  });

  function basemap(map, dataElement, townsElement, opts) {
    var towns = townsElement ? JSON.parse(townsElement.textContent) : [];
    var layer = new BaseMap(dataElement, towns, opts);
    layer.addTo(map);
    basemaps.push(layer);
    return layer;
  }

  function incidents(map, dataElement, opts) {
    var layer = new IncidentLayer(dataElement, opts);
    layer._gcMap = map;
    layer._density = !!opts.density;
    if (opts.legend !== false) {
      new Legend(layer).addTo(map);
    }
    if (opts.timeSlider && opts.hasDates) {
      new TimeSlider(layer).addTo(map);
    }
    if (opts.search !== false) {
      new Search(layer).addTo(map);
    }
    if (opts.fullscreen !== false) {
      new Fullscreen().addTo(map);
    }
    layer.ready.then(
      function () {
        map.getContainer().setAttribute("data-gc-ready", "1");
      },
      function () {
        map.getContainer().setAttribute("data-gc-ready", "error");
      }
    );
    return layer;
  }

  window.GeoconflictMap = {
    incidents: incidents,
    basemap: basemap,
    basemaps: basemaps,
    BaseMap: BaseMap,
    featureTooltip: featureTooltip,
    escapeHtml: escapeHtml,
    layers: registry,
    IncidentLayer: IncidentLayer,
  };
})();
