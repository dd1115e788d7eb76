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
    return (
      '<svg class="gc-dot" width="' + size + '" height="' + size + '" aria-hidden="true">' +
      '<circle cx="' + size / 2 + '" cy="' + size / 2 + '" r="' + r + '" fill="' + fill +
      '" fill-opacity="' + style.fillOpacity + '"' + stroke + "></circle></svg>"
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
          blit(buf, W, H, sp, Math.round((x - half) * dpr), Math.round((y - half) * dpr));
          hx[m] = x + min.x;
          hy[m] = y + min.y;
          hr[m] = r;
          hi[m] = i;
          m++;
        }
      }
      this._ctx.putImageData(this._image, 0, 0);
      this._hits = { x: hx, y: hy, r: hr, i: hi, n: m };
      this._drawnCount = m;
      map.getContainer().setAttribute("data-gc-drawn", String(m));
      this.fire("draw", { drawn: m });
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
        var pad = Math.ceil((style.weight || 0) + (style.halo ? 2 : 0)) + 1;
        var size = Math.ceil(2 * (r + pad));
        var px = Math.ceil(size * dpr);
        var cv = document.createElement("canvas");
        cv.width = px;
        cv.height = px;
        var g = cv.getContext("2d");
        g.scale(dpr, dpr);
        g.beginPath();
        g.arc(size / 2, size / 2, r, 0, 2 * Math.PI);
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
      var parts = ["<b>" + this.title(i) + "</b>"];
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
      var out = ['<div class="gc-popup">', '<div class="gc-popup-title">' + title + "</div>"];
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
      var popup = L.popup({ maxWidth: 380, maxHeight: 380, className: "gc-popup-wrap", autoPanPadding: [20, 20] });
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
    },
    _refresh: function () {
      if (!this._data) {
        return;
      }
      this._filter();
      this._redraw();
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
    onAdd: function () {
      var layer = this._layer;
      var o = layer.options;
      var div = L.DomUtil.create("div", "gc-legend leaflet-bar");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
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
            (o.zone.noteShort
              ? '<details class="gc-note"><summary>' + o.zone.noteShort + "</summary>" + o.zone.note + "</details>"
              : o.zone.note
                ? '<br><span class="gc-note">' + o.zone.note + "</span>"
                : "") +
            "</span></div>"
        );
      }
      var statuses = o.status.legend;
      var unknown = o.status.unknown;
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
      if (o.notes && o.notes.length) {
        o.notes.forEach(function (n) {
          html.push('<div class="gc-note">' + n + "</div>");
        });
      }
      html.push("</div>");
      div.innerHTML = html.join("");
      var body = div.querySelector(".gc-legend-body");
      var toggle = div.querySelector(".gc-legend-toggle");
      L.DomEvent.on(toggle, "click", function () {
        var open = body.style.display !== "none";
        body.style.display = open ? "none" : "";
        toggle.setAttribute("aria-expanded", String(!open));
      });
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
      return div;
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
      var layer = this._layer;
      var build = function () {
        var d = layer._data;
        var lo = Infinity;
        var hi = -Infinity;
        var undated = 0;
        for (var i = 0; i < d.n; i++) {
          var v = d.day ? d.day[i] : NaN;
          if (v === v) {
            if (v < lo) {
              lo = v;
            }
            if (v > hi) {
              hi = v;
            }
          } else {
            undated++;
          }
        }
        if (!(hi > lo)) {
          div.style.display = "none";
          return;
        }
        div.innerHTML =
          '<div class="gc-slider-title">Dates <span data-gc-range></span></div>' +
          '<label>from <input type="range" data-gc-from min="' + lo + '" max="' + hi + '" value="' + lo + '" step="1"></label>' +
          '<label>to <input type="range" data-gc-to min="' + lo + '" max="' + hi + '" value="' + hi + '" step="1"></label>' +
          (undated ? '<div class="gc-note">' + undated + " undated incidents are always shown</div>" : "");
        var from = div.querySelector("[data-gc-from]");
        var to = div.querySelector("[data-gc-to]");
        var label = div.querySelector("[data-gc-range]");
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
        apply();
      };
      if (layer._data) {
        build();
      } else {
        layer.once("load", build);
      }
      return div;
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
            var title = layer.title(i);
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

  function incidents(map, dataElement, opts) {
    var layer = new IncidentLayer(dataElement, opts);
    layer._gcMap = map;
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
    featureTooltip: featureTooltip,
    escapeHtml: escapeHtml,
    layers: registry,
    IncidentLayer: IncidentLayer,
  };
})();
